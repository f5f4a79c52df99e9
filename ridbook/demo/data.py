"""Demo data: one university with divisions, one holding with a subsidiary, a user for every role."""

from __future__ import annotations

from ridbook.accounts.roles import Role

DEMO_PASSWORD = "ridbook-demo"

# (key, parent key, kind, short name, full name, country, policy, ИНН, ОГРН)
ORGANIZATIONS = [
    (
        "vgtu",
        None,
        "university",
        "ВГТУ",
        "ФГБОУ ВО «Воронежский государственный технический университет»",
        "RU",
        "vgtu",
        "",
        "",
    ),
    ("vgtu-itr", "vgtu", "institute", "ИМиТ", "Институт машиностроения и технологий", "RU", "", "", ""),
    (
        "vgtu-itr-cad",
        "vgtu-itr",
        "department",
        "Кафедра САПР",
        "Кафедра систем автоматизированного проектирования",
        "RU",
        "",
        "",
        "",
    ),
    ("vgtu-rad", "vgtu", "institute", "ФРТЭ", "Факультет радиотехники и электроники", "RU", "", "", ""),
    (
        "vgtu-ip",
        "vgtu",
        "division",
        "ОСРРИД",
        "Отдел сопровождения результатов интеллектуальной деятельности",
        "RU",
        "",
        "",
        "",
    ),
    (
        "holding",
        None,
        "holding",
        "Холдинг «Магистраль»",
        "АО «Холдинг Магистраль» (демонстрационная организация)",
        "RU",
        "rzd-2013",
        "",
        "",
    ),
    (
        "holding-sub",
        "holding",
        "company",
        "ООО «Магистраль-Тех»",
        "ООО «Магистраль-Технологии» (дочернее общество, демонстрационная организация)",
        "RU",
        "",
        "",
        "",
    ),
    (
        "holding-sub-lab",
        "holding-sub",
        "division",
        "Лаборатория диагностики пути",
        "Лаборатория диагностики пути",
        "RU",
        "",
        "",
        "",
    ),
]

# (login, last, first, middle, role, organization key)
USERS = [
    ("author", "Иванов", "Пётр", "Сергеевич", Role.AUTHOR, "vgtu-itr-cad"),
    ("ipofficer", "Смирнова", "Анна", "Викторовна", Role.IP_OFFICER, "vgtu"),
    ("iphead", "Ковалёв", "Михаил", "Юрьевич", Role.IP_HEAD, "vgtu"),
    ("secretary", "Кузнецова", "Ольга", "Петровна", Role.COMMISSION_SECRETARY, "vgtu"),
    ("chair", "Соколов", "Дмитрий", "Александрович", Role.COMMISSION_CHAIR, "vgtu"),
    ("member", "Попов", "Игорь", "Николаевич", Role.COMMISSION_MEMBER, "vgtu"),
    ("member2", "Григорьев", "Олег", "Ильич", Role.COMMISSION_MEMBER, "vgtu"),
    ("member3", "Егорова", "Татьяна", "Сергеевна", Role.COMMISSION_MEMBER, "vgtu"),
    ("member4", "Никитин", "Павел", "Андреевич", Role.COMMISSION_MEMBER, "vgtu"),
    ("member5", "Романова", "Людмила", "Олеговна", Role.COMMISSION_MEMBER, "vgtu"),
    ("expert", "Лебедева", "Мария", "Игоревна", Role.EXPERT, "vgtu"),
    ("approver", "Новиков", "Андрей", "Владимирович", Role.APPROVER, "vgtu"),
    ("accountant", "Морозова", "Елена", "Юрьевна", Role.ACCOUNTANT, "vgtu"),
    ("divhead", "Волков", "Сергей", "Михайлович", Role.DIVISION_HEAD, "vgtu-itr"),
    ("auditor", "Фёдорова", "Наталья", "Андреевна", Role.AUDITOR, "vgtu"),
    ("admin", "Администратор", "Системный", "", Role.ADMINISTRATOR, "vgtu"),
    ("holding-ip", "Орлов", "Виктор", "Павлович", Role.IP_OFFICER, "holding"),
    ("holding-author", "Зайцев", "Алексей", "Игоревич", Role.AUTHOR, "holding-sub-lab"),
    ("holding-admin", "Белова", "Ирина", "Олеговна", Role.ADMINISTRATOR, "holding"),
]


# The VGTU IP commission (seed 001 §3.2–3.3: composition by the rector's order, at least 7 members):
# (login, role in the commission, position)
COMMISSION_ORDER = ("415", "2021-08-25")
COMMISSION_MEMBERS = [
    ("chair", "chair", "проректор по инновационной деятельности"),
    ("member", "deputy", "начальник управления научных исследований"),
    ("secretary", "secretary", "ведущий специалист ЦПТИ"),
    ("member2", "member", "профессор кафедры САПР"),
    ("member3", "member", "доцент кафедры автоматизации"),
    ("member4", "member", "патентовед ЦПТИ"),
    ("member5", "member", "начальник юридического отдела"),
]

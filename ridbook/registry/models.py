"""Реестр РИД: люди, РИД, уведомление о создании (ТПУ, прил. 2), авторство, содействие, пакет документов."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ridbook.audit.models import AuditedModel, ImmutableRecordModel
from ridbook.registry.choices import (
    CONTROL_LISTS,
    ExportControlConclusion,
    ExportControlOutcome,
    FundingKind,
    InitiativeAgreement,
    InvolvementBasis,
    NoticeEventKind,
    Origin,
    PacketDocumentKind,
    ProtectionForm,
    RidKind,
    RidStatus,
    RightsAllocation,
    RightsHolder,
    StateSecretOutcome,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Person(AuditedModel):
    """Физическое лицо — автор или содействующий. Хранится один раз и переиспользуется во всех РИД."""

    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    # the term of a program or database: the last surviving author's death + 70 years (Civil Code art. 1281)
    death_date = models.DateField(_("дата смерти"), null=True, blank=True)
    citizenship = models.CharField(
        _("гражданство"),
        max_length=100,
        blank=True,
        default="Российская Федерация",  # i18n: ru-only (stored data: the default citizenship)
    )
    # the organization that keeps the record (a person belongs to it, as every record does): his division when he
    # works here; for an outsider (``workplace`` filled) the organization of the RID he co-authored
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("подразделение"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    workplace = models.CharField(_("место работы (если вне организации)"), max_length=300, blank=True)
    position = models.CharField(_("должность"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    email = models.EmailField("e-mail", blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    snils = models.CharField(_("СНИЛС"), max_length=14, blank=True)
    degree = models.CharField(_("учёная степень, звание"), max_length=200, blank=True)
    researcher_id = models.CharField("WoS ResearcherID", max_length=30, blank=True)
    scopus_id = models.CharField("Scopus Author ID", max_length=30, blank=True)
    orcid = models.CharField("ORCID", max_length=19, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    # personal data is not copied into the change log (its readers are not those who may see it: personal_data.py)
    audit_exclude = ("inn", "snils", "address", "phone", "birth_date", "death_date", "email", "citizenship")

    class Meta:
        ordering = ["last_name", "first_name", "middle_name"]
        verbose_name = _("физическое лицо")
        verbose_name_plural = _("физические лица")
        # one record per СНИЛС / ИНН in an organization (the service refuses a second one in the whole legal entity;
        # another legal entity keeps a record of its own: the boundary between organizations)
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "snils"], condition=~Q(snils=""), name="person_unique_snils"
            ),
            models.UniqueConstraint(fields=["organization", "inn"], condition=~Q(inn=""), name="person_unique_inn"),
        ]
        indexes = [models.Index(fields=["last_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def is_external(self) -> bool:
        """Внешний соавтор: работает вне организации (место работы указано словами)."""
        return bool(self.workplace.strip())

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        people = cls._default_manager.filter(pk__in=ids).only("last_name", "first_name", "middle_name")
        return {person.pk: person.short_name for person in people}  # names only: never the personal data


# statuses sort in the order of the workflow, not alphabetically (the list's sort; an index of its own)
STATUS_ORDER = models.Case(
    *(models.When(status=s, then=models.Value(i)) for i, s in enumerate(RidStatus.values)),
    output_field=models.IntegerField(),
)


class Rid(AuditedModel):
    """Результат интеллектуальной деятельности и его уведомление о создании (поля формы ТПУ, прил. 2)."""

    number = models.CharField(_("учётный номер"), max_length=30, unique=True)
    kind = models.CharField(_("вид РИД"), max_length=30, choices=RidKind.choices)
    other_subtype = models.CharField(_("вид иного РИД"), max_length=200, blank=True)
    title = models.CharField(_("наименование"), max_length=500)
    origin = models.CharField(
        _("служебный / инициативный"), max_length=20, choices=Origin.choices, default=Origin.SERVICE
    )
    employer_resources_used = models.BooleanField(_("использованы средства / оборудование работодателя"), default=False)
    initiative_agreement = models.CharField(
        _("договор с работодателем (инициативный РИД)"),
        max_length=20,
        choices=InitiativeAgreement.choices,
        default=InitiativeAgreement.NONE,
    )
    # indexed by (organization, status) below, not on its own: every index costs each write
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("подразделение"),
        on_delete=models.PROTECT,
        related_name="rids",
        db_index=False,
    )
    status = models.CharField(_("статус"), max_length=20, choices=RidStatus.choices, default=RidStatus.DRAFT)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 2. purpose; 3. funding
    purpose = models.TextField(_("назначение (решаемая задача)"), blank=True)
    funding_kind = models.CharField(
        _("вид финансирования"), max_length=30, choices=FundingKind.choices, default=FundingKind.NONE
    )
    funding_other = models.CharField(_("иной вид финансирования"), max_length=200, blank=True)
    funding_agreement_number = models.CharField(_("номер договора (соглашения)"), max_length=100, blank=True)
    funding_agreement_date = models.DateField(_("дата договора (соглашения)"), null=True, blank=True)
    internal_project_number = models.CharField(_("внутренний номер проекта"), max_length=100, blank=True)
    rnd_title = models.CharField(_("3.1 наименование НИОКР"), max_length=500, blank=True)
    rnd_leader = models.CharField(_("3.2 руководитель НИОКР"), max_length=200, blank=True)
    rnd_registration_number = models.CharField(_("3.3 регистрационный номер НИОКР"), max_length=100, blank=True)
    customer_full_name = models.CharField(_("3.4 заказчик: полное наименование"), max_length=500, blank=True)
    customer_short_name = models.CharField(_("заказчик: краткое наименование"), max_length=200, blank=True)
    customer_founder = models.CharField(_("заказчик: учредитель"), max_length=300, blank=True)
    customer_ogrn = models.CharField(_("заказчик: ОГРН"), max_length=15, blank=True)
    customer_okopf = models.CharField(_("заказчик: ОКОПФ"), max_length=5, blank=True)
    rights_allocation = models.CharField(
        _("3.5 предполагаемое распределение прав"),
        max_length=30,
        choices=RightsAllocation.choices,
        default=RightsAllocation.EXECUTOR,
    )
    # 4–13
    keywords = models.JSONField(_("4. ключевые слова"), default=list, blank=True)
    abstract = models.TextField(_("5. реферат"), blank=True)
    uses = models.TextField(_("6. возможные области использования"), blank=True)
    prototypes_count = models.PositiveIntegerField(_("7. число прототипов"), null=True, blank=True)
    useful_life_years = models.PositiveIntegerField(_("8. срок полезного использования, лет"), null=True, blank=True)
    core_facility_used = models.BooleanField(_("9. создан с использованием оборудования ЦКП"), default=False)
    core_facility_name = models.CharField(_("ЦКП"), max_length=300, blank=True)
    okpd2 = models.CharField(_("10. ОКПД2"), max_length=12, blank=True)
    grnti_codes = models.JSONField(_("11. ГРНТИ"), default=list, blank=True)
    oecd_code = models.CharField(_("12. код OECD"), max_length=20, blank=True)
    ipc_codes = models.JSONField(_("13. МПК"), default=list, blank=True)
    # 16–17
    trade_secret = models.BooleanField(_("16. содержит коммерческую тайну организации"), default=False)
    published = models.BooleanField(_("17. РИД опубликован"), default=False)
    publication_date = models.DateField(_("дата первой публикации"), null=True, blank=True)
    publication_sources = models.TextField(_("источники публикации"), blank=True)
    # workflow stamps
    submitted_at = models.DateTimeField(_("подано"), null=True, blank=True)
    received_on = models.DateField(_("дата поступления в подразделение по ИС"), null=True, blank=True)
    learned_on = models.DateField(_("дата, когда подразделение по ИС узнало о РИД"), null=True, blank=True)
    accepted_on = models.DateField(_("принято к рассмотрению комиссией"), null=True, blank=True)
    # the state registration (Rospatent) of a RID registered before it came here: set by the FIPS import, which
    # recognizes by it a registration it has imported already
    state_registration_number = models.CharField(
        _("номер государственной регистрации (свидетельства, патента)"), max_length=50, blank=True
    )
    # the commission's decision (commission app sets these; VGTU §6.7–6.9)
    decided_on = models.DateField(_("дата решения комиссии"), null=True, blank=True)
    protection_form = models.CharField(
        _("форма правовой охраны"), max_length=20, choices=ProtectionForm.choices, blank=True
    )
    rights_holder = models.CharField(_("правообладатель"), max_length=20, choices=RightsHolder.choices, blank=True)
    next_step = models.CharField(_("следующий шаг"), max_length=300, blank=True)
    # an imported row the file wrote oddly (no title, an author by one word or initials, an author twice): imported,
    # and listed for the IP department to check
    needs_review = models.BooleanField(_("требует проверки"), default=False)
    review_reasons = models.JSONField(_("что проверить"), default=list, blank=True)
    # search (lemmas of title, abstract, keywords and author surnames; see search.py)
    search_lemmas = models.TextField(blank=True, editable=False)
    # PostgreSQL: to_tsvector('simple', search_lemmas), kept by a trigger, GIN-indexed (migration 0004); SQLite: NULL
    search_vector = SearchVectorField(null=True, editable=False)

    audit_exclude = ("search_lemmas", "search_vector")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("РИД")
        verbose_name_plural = _("РИД")
        indexes = [
            # the list's common filters in the list's order: page 1 is the index's first 50 entries; the count
            # (capped) reads the visibility columns from the index too (PostgreSQL; SQLite ignores ``include``)
            models.Index(
                fields=["kind", "status", "-created_at", "-id"],
                include=["organization", "created_by"],
                name="rid_kind_status_created",
            ),
            # a division's RIDs (and of one status); the count reads the visibility columns from the index too
            models.Index(
                fields=["organization", "status"], include=["created_by", "id"], name="rid_organization_status"
            ),
            # the list newest first, a year of it, its deep pages: the count reads the visibility columns from the index
            models.Index(fields=["-created_at", "-id"], include=["organization", "created_by"], name="rid_created"),
            # a status (the deadlines; the list of one status, newest first: without it a rare status walks the
            # newest RIDs of every other status); equality only, so without the ``varchar_pattern_ops`` twin that
            # ``db_index=True`` adds on PostgreSQL
            models.Index(fields=["status", "-created_at", "-id"], name="rid_status_created"),
            # the list of one kind of funding, newest first (most RIDs have none: the others are rare)
            models.Index(fields=["funding_kind", "-created_at", "-id"], name="rid_funding_created"),
            # the list sorted by title, either way (the id breaks ties in the same direction: ``filter_sort``)
            models.Index(fields=["title", "id"], name="rid_title"),
            models.Index(STATUS_ORDER, models.F("id"), name="rid_status_order"),  # sorted by status
            # the flags, newest first (published: a fifth of the RIDs, also the novelty risk; a trade secret: rare):
            # the page and the count read only these RIDs, not the whole registry to find them
            models.Index(
                fields=["-created_at", "-id"],
                include=["organization", "created_by"],
                condition=models.Q(published=True),
                name="rid_published_created",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                include=["organization", "created_by"],
                condition=models.Q(trade_secret=True),
                name="rid_trade_secret_created",
            ),
        ]
        constraints = [
            # one RID per state registration of a kind (a program's certificate № 2007610001 is one program)
            models.UniqueConstraint(
                fields=["kind", "state_registration_number"],
                condition=~models.Q(state_registration_number=""),
                name="rid_unique_state_registration",
                violation_error_message=_("РИД с таким номером государственной регистрации уже есть в реестре."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        return dict(cls._default_manager.filter(pk__in=ids).values_list("pk", "number"))


class Authorship(AuditedModel):
    """Автор РИД: коэффициент участия, трудозатраты, творческий вклад (п. 18 формы)."""

    audit_organization_path = "rid__organization"

    rid = models.ForeignKey(  # no index of its own: the unique (rid, person) serves it
        Rid, verbose_name=_("РИД"), on_delete=models.CASCADE, related_name="authorships", db_index=False
    )
    # indexed by (person, rid) below, not on its own: a person's RIDs are read from the index alone
    person = models.ForeignKey(
        Person, verbose_name=_("автор"), on_delete=models.PROTECT, related_name="authorships", db_index=False
    )
    coefficient = models.DecimalField(_("коэффициент участия, %"), max_digits=5, decimal_places=2)
    hours = models.PositiveIntegerField(_("трудозатраты, ч"), null=True, blank=True)
    period_start = models.DateField(_("период работы: с"), null=True, blank=True)
    period_end = models.DateField(_("по"), null=True, blank=True)
    contribution = models.TextField(_("творческий вклад (словами)"), blank=True)
    basis = models.CharField(
        _("основание участия"), max_length=20, choices=InvolvementBasis.choices, default=InvolvementBasis.JOB_DUTIES
    )
    basis_other = models.CharField(_("иное основание"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("авторство")
        verbose_name_plural = _("авторство")
        constraints = [models.UniqueConstraint(fields=["rid", "person"], name="authorship_unique_person")]
        indexes = [models.Index(fields=["person", "rid"], name="authorship_person_rid")]

    def __str__(self) -> str:
        return f"{self.person} — {self.coefficient} %"


class Contribution(AuditedModel):
    """Содействие созданию РИД (RZD §3.2): не автор; может получить вознаграждение за содействие."""

    audit_organization_path = "rid__organization"

    rid = models.ForeignKey(  # no index of its own: the unique (rid, person) serves it
        Rid, verbose_name=_("РИД"), on_delete=models.CASCADE, related_name="contributions", db_index=False
    )
    person = models.ForeignKey(
        Person, verbose_name=_("содействующий"), on_delete=models.PROTECT, related_name="contributions"
    )
    assistance = models.CharField(_("характер содействия"), max_length=300)

    class Meta:
        verbose_name = _("содействие")
        verbose_name_plural = _("содействие")
        constraints = [models.UniqueConstraint(fields=["rid", "person"], name="contribution_unique_person")]

    def __str__(self) -> str:
        return gettext("%(person)s (содействие)") % {"person": self.person}


class StateSecretConclusion(AuditedModel):
    """Заключение о возможности открытого опубликования (п. 14)."""

    audit_organization_path = "rid__organization"

    rid = models.OneToOneField(Rid, verbose_name=_("РИД"), on_delete=models.CASCADE, related_name="state_secret")
    number = models.CharField(_("номер"), max_length=50)
    date = models.DateField(_("дата"))
    commission = models.TextField(_("экспертная комиссия (председатель, эксперты) или ведущий эксперт"))
    review_start = models.DateField(_("рассмотрено: с"), null=True, blank=True)
    review_end = models.DateField(_("по"), null=True, blank=True)
    outcome = models.CharField(_("вывод"), max_length=40, choices=StateSecretOutcome.choices)

    class Meta:
        verbose_name = _("заключение о возможности открытого опубликования")
        verbose_name_plural = _("заключения о возможности открытого опубликования")

    def __str__(self) -> str:
        return gettext("Заключение № %(number)s от %(date)s") % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}

    @property
    def is_positive(self) -> bool:
        return self.outcome == StateSecretOutcome.NO_SECRET_PUBLISHABLE


class LabelsAsText(Sequence[tuple[str, str]]):
    """(code, label) pairs whose labels (lazy translations) are given as text in the language of the moment: what the
    change log expects of ``audit_value_labels``."""

    def __init__(self, pairs: Sequence[tuple[str, StrOrPromise]]) -> None:
        self._pairs = pairs

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, str]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, str] | Sequence[tuple[str, str]]:
        if isinstance(index, slice):
            return [(code, str(label)) for code, label in self._pairs[index]]
        code, label = self._pairs[index]
        return code, str(label)

    def __len__(self) -> int:
        return len(self._pairs)


class ExportControlAct(AuditedModel):
    """Акт экспертизы экспортного контроля (п. 15)."""

    audit_organization_path = "rid__organization"
    audit_value_labels = {"lists_checked": LabelsAsText(CONTROL_LISTS)}

    rid = models.OneToOneField(Rid, verbose_name=_("РИД"), on_delete=models.CASCADE, related_name="export_control")
    number = models.CharField(_("номер"), max_length=50)
    date = models.DateField(_("дата"))
    description = models.TextField(_("описание объекта"), blank=True)
    lists_checked = models.JSONField(_("проверено по спискам"), default=list)
    outcome = models.CharField(_("результат"), max_length=30, choices=ExportControlOutcome.choices)
    outcome_details = models.TextField(_("обоснование / позиции списков"), blank=True)
    conclusion = models.CharField(_("заключение"), max_length=20, choices=ExportControlConclusion.choices)

    class Meta:
        verbose_name = _("акт экспертизы экспортного контроля")
        verbose_name_plural = _("акты экспертизы экспортного контроля")

    def __str__(self) -> str:
        return gettext("Акт № %(number)s от %(date)s") % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}

    @property
    def is_positive(self) -> bool:
        return self.conclusion == ExportControlConclusion.NO_PERMITS


def packet_upload_to(instance: PacketDocument, filename: str) -> str:
    return f"rid/{instance.rid_id}/packet/{instance.kind}/{filename}"


class PacketDocument(AuditedModel):
    """Документ пакета уведомления (RZD §6.2): загружается по одному, проверяется на комплектность."""

    audit_organization_path = "rid__organization"

    rid = models.ForeignKey(Rid, verbose_name=_("РИД"), on_delete=models.CASCADE, related_name="packet")
    kind = models.CharField(_("документ"), max_length=30, choices=PacketDocumentKind.choices)
    file = models.FileField(_("файл"), upload_to=packet_upload_to)
    uploaded_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("загрузил"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("документ пакета")
        verbose_name_plural = _("документы пакета")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {(self.file.name or '').rsplit('/', 1)[-1]}"


class NoticeEvent(ImmutableRecordModel):
    """Событие уведомления, читаемое человеком: подано, получено, возвращено (с причинами), принято."""

    audit_organization_path = "rid__organization"

    rid = models.ForeignKey(Rid, verbose_name=_("РИД"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("событие"), max_length=20, choices=NoticeEventKind.choices)
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("кто"), max_length=200)
    reasons = models.TextField(_("причины"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("событие уведомления")
        verbose_name_plural = _("события уведомления")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d.%m.%Y})"

"""A real OpenLDAP server (Debian's slapd) for the directory sign-in tests: started on a free port with its own
configuration and data in a temporary folder, stopped afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMA = Path("/etc/ldap/schema")
SUFFIX = "dc=ridbook,dc=test"
USER_DN_TEMPLATE = "uid={username},ou=people," + SUFFIX


def slapd_missing() -> str | None:
    """Why the tests cannot run (None: they can)."""
    if not (shutil.which(SLAPD) and shutil.which(SLAPADD) and (SCHEMA / "inetorgperson.schema").exists()):
        return f"{SLAPD} not found: the directory sign-in tests are skipped (apt-get install -y slapd)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _people(users: dict[str, str]) -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: ridbook\ndc: ridbook\n",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
    ]
    for uid, password in users.items():
        entries.append(
            f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\nsn: {uid}\n"
            f"userPassword: {password}\n"
        )
    return "\n".join(entries)


@contextmanager
def running_slapd(folder: Path, users: dict[str, str]) -> Iterator[str]:
    """Yields the server's URI (``ldap://127.0.0.1:<port>``) with ``users`` (uid → password) under ou=people."""
    data = folder / "data"
    data.mkdir()
    config = folder / "slapd.conf"
    config.write_text(
        "\n".join(
            [
                *(f"include {SCHEMA / name}.schema" for name in ("core", "cosine", "inetorgperson")),
                f"pidfile {folder / 'slapd.pid'}",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "database mdb",
                f'suffix "{SUFFIX}"',
                f'rootdn "cn=admin,{SUFFIX}"',
                f"directory {data}",
                "access to attrs=userPassword by anonymous auth by * none",
                "access to * by * read",
                "",
            ]
        )
    )
    ldif = folder / "people.ldif"
    ldif.write_text(_people(users))
    subprocess.run([SLAPADD, "-f", str(config), "-l", str(ldif)], check=True, capture_output=True)
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = (folder / "slapd.log").open("wb")
    process = subprocess.Popen([SLAPD, "-d", "0", "-f", str(config), "-h", f"{uri}/"], stderr=log, stdout=log)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"slapd did not start: {(folder / 'slapd.log').read_text()[-2000:]}") from None
                time.sleep(0.1)
        yield uri
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()

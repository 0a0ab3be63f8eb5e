"""A minimal Debian to build on: a stand-in for a contributor's laptop or a GitHub runner.

    python tools/minimal_debian.py create ROOT      # debootstrap (as root), a few minutes
    python tools/minimal_debian.py run ROOT laptop -- make html
    python tools/minimal_debian.py run ROOT runner -- sudo true

``create`` makes ROOT with ``debootstrap --variant=minbase`` plus python3,
python3-venv, make, git and sudo, from the Debian mirror and release of the
machine it runs on (read from its apt sources and ``/etc/os-release``), and
two ordinary users:

* ``laptop``: no sudo, and a PATH without apt, dpkg or sudo, like a
  contributor's macOS or Fedora machine;
* ``runner``: passwordless sudo, like the ``runner`` user of GitHub's hosted
  runners.

Nothing else is installed: no fonts but what Python packages carry, no
browser, no optipng, no compiler.  ``run`` mounts ``/proc``, ``/sys``,
``/dev`` (and a fresh ``/dev/shm``) and this machine's ``/opt`` read-only, in
a mount namespace of the run's own (``unshare --mount``), copies in this machine's DNS, pip configuration
(``/etc/pip.conf``, ``/etc/xdg/pip/``, root's ``~/.config/pip/``, the
``PIP_*`` variables) and CA certificates, so pip reaches the same package
index as here, then runs the command as that user with a clean environment.
None of this machine's configuration is written into the repository.
The mounts end with the command, whatever happens: none is ever visible
outside it, so deleting the folder can never reach this machine's /dev.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = ["python3", "python3-venv", "make", "git", "sudo"]
USERS = {"laptop": False, "runner": True}  # name: has passwordless sudo
#: Programs the laptop's PATH leaves out: no system package manager, no root.
NOT_ON_LAPTOP = re.compile(r"^(apt.*|dpkg.*|sudo.*|su|debootstrap)$")
PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
#: This machine's files copied in for a run (not kept in the image).
COPIED = [
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/pip.conf",
    "/etc/xdg/pip",
    "/etc/ssl/certs/ca-certificates.crt",
]


def mirror_and_suite() -> tuple[str, str]:
    """This machine's Debian mirror and release (apt sources, /etc/os-release)."""
    release = Path("/etc/os-release").read_text(encoding="utf-8")
    suite = re.search(r"^VERSION_CODENAME=(\S+)", release, re.M)
    if not suite:
        raise SystemExit("minimal_debian: /etc/os-release names no VERSION_CODENAME: not Debian?")
    sources = []
    for path in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]:
        if path.is_file() and path.suffix in {".list", ".sources", ""}:
            sources.append(path.read_text(encoding="utf-8", errors="replace"))
    for text in sources:
        # deb822 ("URIs: http://...") and one-line ("deb http://... suite main") formats
        for match in re.finditer(r"^(?:URIs:\s*|deb\s+(?:\[[^]]*\]\s+)?)(\S+)", text, re.M):
            uri = match.group(1)
            if "security" not in uri:
                return uri, suite.group(1)
    raise SystemExit("minimal_debian: no Debian mirror found in /etc/apt/sources.list*")


def create(root: Path) -> None:
    if os.geteuid() != 0:
        raise SystemExit("minimal_debian: create needs root (debootstrap, chroot)")
    if not shutil.which("debootstrap"):
        raise SystemExit("minimal_debian: needs debootstrap (apt-get install debootstrap)")
    mirror, suite = mirror_and_suite()
    subprocess.run(
        ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", suite, str(root), mirror],
        check=True, stdout=subprocess.DEVNULL,
    )
    for user, sudo in USERS.items():
        subprocess.run(["chroot", str(root), "useradd", "--create-home", "--shell", "/bin/bash", user], check=True)
        if sudo:
            rule = root / "etc/sudoers.d" / user
            rule.write_text(f"{user} ALL=(ALL) NOPASSWD:ALL\n", encoding="utf-8")
            rule.chmod(0o440)
    # The laptop's PATH: links to every program but the package manager's and sudo.
    bin_dir = root / "home/laptop/.path"
    bin_dir.mkdir()
    for folder in ["usr/local/bin", "usr/bin", "usr/sbin"]:
        for program in sorted((root / folder).iterdir()):
            link = bin_dir / program.name
            if not NOT_ON_LAPTOP.match(program.name) and not link.exists():
                link.symlink_to(Path("/", folder, program.name))
    subprocess.run(["chroot", str(root), "chown", "-R", "laptop:laptop", "/home/laptop"], check=True)


def copy_machine_files(root: Path) -> None:
    """This machine's DNS, pip configuration and certificates, copied in for a run."""
    for path in COPIED:
        if Path(path).exists():
            target = root / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if Path(path).is_dir():
                shutil.copytree(path, target, dirs_exist_ok=True)
            else:
                target.unlink(missing_ok=True)  # resolv.conf may be a link
                shutil.copy(path, target)


def mount_script(root: Path) -> str:
    """Shell commands that mount what a run needs inside ``root``.

    They run in a mount namespace of their own (``unshare --mount``): the
    mounts exist for that process tree alone and vanish with it, so no bind
    mount of /dev or /opt is ever left where ``rm -rf`` could reach through it.
    """
    quoted = shlex.quote(str(root))
    lines = [
        "set -e",
        f"mount -t proc proc {quoted}/proc",
        f"mount -t sysfs -o ro sysfs {quoted}/sys",
        f"mount --bind /dev {quoted}/dev",
        f"mount -t tmpfs -o mode=1777 shm {quoted}/dev/shm",
    ]
    if Path("/opt").is_dir():
        (root / "opt").mkdir(exist_ok=True)
        lines += [f"mount --bind /opt {quoted}/opt", f"mount -o remount,bind,ro {quoted}/opt"]
    return "\n".join(lines)


def user_environment(user: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A clean login environment for ``user``, with this machine's PIP_* variables."""
    env = {
        "HOME": f"/home/{user}",
        "USER": user,
        "LOGNAME": user,
        "SHELL": "/bin/bash",
        "PATH": f"/home/{user}/.path" if user == "laptop" else PATH,
    }
    env.update({k: v for k, v in os.environ.items() if k.startswith("PIP_")})
    env.update(extra or {})
    return env


def copy_user_pip_config(root: Path, user: str) -> None:
    """Root's ~/.config/pip/pip.conf, where this machine has one, into the user's home."""
    source = Path.home() / ".config/pip/pip.conf"
    if source.is_file():
        target = root / "home" / user / ".config/pip/pip.conf"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        subprocess.run(["chroot", str(root), "chown", "-R", f"{user}:{user}", f"/home/{user}/.config"], check=True)


def run(root: Path, user: str, command: str, *, env=None, cwd=None, **kwargs) -> subprocess.CompletedProcess:
    """Run the shell ``command`` in ``root`` as ``user`` (needs root), in a mount namespace of its own."""
    if user not in USERS:
        raise SystemExit(f"minimal_debian: no user {user!r}: {', '.join(USERS)}")
    copy_machine_files(root)
    copy_user_pip_config(root, user)
    script = f"cd {shlex.quote(cwd or '/home/' + user)} && {command}"
    chroot = ["chroot", f"--userspec={user}:{user}", str(root), "/usr/bin/env", "-i",
              *[f"{k}={v}" for k, v in user_environment(user, env).items()], "/bin/bash", "-c", script]
    inside = mount_script(root) + "\nexec " + shlex.join(chroot)
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", inside],
                          check=False, **kwargs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("create").add_argument("root", type=Path)
    runner = sub.add_parser("run")
    runner.add_argument("root", type=Path)
    runner.add_argument("user", choices=sorted(USERS))
    runner.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.verb == "create":
        create(args.root)
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return run(args.root, args.user, shlex.join(command)).returncode


if __name__ == "__main__":
    sys.exit(main())

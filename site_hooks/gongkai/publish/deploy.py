"""Publish a built site so that visitors never see half of it, and undo a publish in seconds.

Three kinds of target, one order of work: everything a page loads (assets) goes
up before the pages and indexes that refer to it, and only then does the new
release become live.

- **A folder on this machine** (``/srv/www/kj``) and **a folder on a server over
  ssh** (``deploy@www.example.gov.cn:/srv/www/kj``, copied with rsync): each
  publish is a new folder ``releases/<time>-<release id>/``; the web server's root
  is the symlink ``current``, switched to the new folder with one rename(2). The
  last N releases are kept; :func:`rollback` points ``current`` back at the
  previous one. Before each switch, the assets of the release going out are
  linked into the one coming in, so a page a visitor opened a moment before the
  switch still finds its stylesheet and scripts.
- **S3-compatible object storage** (``s3://bucket/prefix``, with boto3): each
  release is uploaded under ``_gongkai/releases/<name>/``; going live copies it,
  server side, onto the site's prefix — assets first, pages and indexes last —
  and records the live release in ``_gongkai/current``. Object stores have no
  atomic switch: see docs/publishing.md for the limits.

Every function raises :class:`DeployError` with a Chinese message on failure.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import filecmp
import mimetypes
import os
import posixpath
import re
import shlex
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from gongkai.publish.release import FINGERPRINTED, page_release

DEFAULT_KEEP = 5
RELEASES = "releases"
CURRENT = "current"
# Pages and indexes: uploaded or switched last, never carried into another release.
LAST_SUFFIXES = (".html", ".htm", ".xml", ".xml.gz", ".txt", ".json", ".csv", ".webmanifest")
_NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6,64}$")

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_ASSET = "public, max-age=3600"
CACHE_PAGE = "public, max-age=60, must-revalidate"


class DeployError(Exception):
    """A publishing problem, described in Chinese for the person running the command."""


# ---------------------------------------------------------------- what is published

def is_page_or_index(rel: str) -> bool:
    """True for HTML pages and indexes (sitemap, search and open-data files): they go live last."""
    return rel.lower().endswith(LAST_SUFFIXES)


def cache_control(rel: str) -> str:
    """The Cache-Control a file gets (the same rules as the nginx configuration)."""
    if FINGERPRINTED.search(rel):
        return CACHE_IMMUTABLE
    return CACHE_PAGE if is_page_or_index(rel) or "/" not in rel else CACHE_ASSET


def site_files(site: Path) -> list[str]:
    """Every file of a built site, as sorted '/'-separated relative paths."""
    out = []
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in files:
            out.append(Path(folder, name).relative_to(site).as_posix())
    return sorted(out)


def upload_order(files: list[str]) -> list[str]:
    """Assets first, then pages and indexes (404.html and the home page last of all)."""
    def key(rel: str) -> tuple[int, str]:
        if not is_page_or_index(rel):
            return (0, rel)
        return (2 if rel in ("index.html", "404.html") else 1, rel)
    return sorted(files, key=key)


def check_site(site: Path) -> str:
    """The release id of a complete Gongkai build in ``site``; DeployError if it is not one."""
    site = Path(site)
    index = site / "index.html"
    if not index.is_file() or not (site / "404.html").is_file():
        raise DeployError(f"{site} 不是完整生成的网站（缺少 index.html 或 404.html）。请先运行 make build，生成成功后再发布。")
    release = page_release(index.read_text(encoding="utf-8", errors="replace"))
    if not release:
        raise DeployError(f"{site}/index.html 里没有版本标记（gk-release）。请用 gongkai build 重新生成后再发布。")
    return release


def new_release_name(release: str, taken: set[str] | list[str] = (), now: _dt.datetime | None = None) -> str:
    """``20240301T150000Z-<release id>``: later publishes sort later (the time moves on past every taken name)."""
    when = (now or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0, tzinfo=_dt.timezone.utc)
    for name in taken:
        with contextlib.suppress(ValueError):
            stamp = _dt.datetime.strptime(name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=_dt.timezone.utc)
            when = max(when, stamp + _dt.timedelta(seconds=1))
    return f"{when:%Y%m%dT%H%M%SZ}-{release}"


def _previous(releases: list[str], live: str | None) -> str:
    older = [r for r in releases if live is None or r < live]
    if not older:
        raise DeployError("没有更早的版本可以回滚：目标上只有当前这一个版本。" if live else "目标上还没有发布过网站。")
    return older[-1]


def _check_name(name: str, releases: list[str]) -> str:
    if name not in releases:
        raise DeployError(f"目标上没有版本 {name}。现有版本：{'、'.join(releases) or '无'}")
    return name


def _to_prune(releases: list[str], live: str | None, keep: int) -> list[str]:
    keep = max(keep, 1)
    kept = set(releases[-keep:])
    if live:
        kept.add(live)
    return [r for r in releases if r not in kept]


@dataclass
class Result:
    name: str
    previous: str | None
    pruned: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- a folder on this machine

class LocalTarget:
    """``root/current -> releases/<name>``, switched atomically with rename(2)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.releases_dir = self.root / RELEASES

    def __str__(self) -> str:
        return str(self.root)

    def releases(self) -> list[str]:
        if not self.releases_dir.is_dir():
            return []
        return sorted(p.name for p in self.releases_dir.iterdir() if p.is_dir() and _NAME.match(p.name))

    def current(self) -> str | None:
        link = self.root / CURRENT
        if not link.is_symlink():
            return None
        return posixpath.basename(os.readlink(link).rstrip("/"))

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".gongkai-deploy.lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise DeployError(f"{self.root} 正在被另一个发布或回滚使用，请等它结束后再试。") from None
            yield

    def publish(self, site: Path, keep: int = DEFAULT_KEEP, *, release: str | None = None) -> Result:
        release = release or check_site(site)
        with self._lock():
            self.releases_dir.mkdir(parents=True, exist_ok=True)
            live = self.current()
            name = new_release_name(release, self.releases())
            incoming = self.releases_dir / f".incoming-{name}"
            shutil.rmtree(incoming, ignore_errors=True)
            previous_dir = self.releases_dir / live if live else None
            try:
                _copy_tree(Path(site), incoming, previous_dir)
                (self.releases_dir / f"{name}.files").write_text("\n".join(site_files(incoming)) + "\n", encoding="utf-8")
                os.replace(incoming, self.releases_dir / name)
            except OSError as exc:
                shutil.rmtree(incoming, ignore_errors=True)
                raise DeployError(f"复制网站到 {self.releases_dir} 失败：{exc}。线上网站没有改变。") from exc
            self._switch(name, live)
            pruned = self._prune(keep)
        return Result(name, live, pruned)

    def rollback(self, to: str | None = None) -> Result:
        if not self.releases():
            raise DeployError(f"{self.root} 上还没有发布过网站。")
        with self._lock():
            releases, live = self.releases(), self.current()
            name = _check_name(to, releases) if to else _previous(releases, live)
            self._switch(name, live)
        return Result(name, live)

    def _switch(self, name: str, live: str | None) -> None:
        if live and live != name and (self.releases_dir / live).is_dir():
            _carry_assets(self.releases_dir / live, self.releases_dir / name, self._own_files(live))
        tmp = self.root / f".{CURRENT}-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(f"{RELEASES}/{name}", tmp)
        os.replace(tmp, self.root / CURRENT)  # the one atomic step: visitors see old or new, never a mix

    def _own_files(self, name: str) -> list[str]:
        listing = self.releases_dir / f"{name}.files"
        if listing.is_file():
            return [line for line in listing.read_text(encoding="utf-8").splitlines() if line]
        return site_files(self.releases_dir / name)

    def _prune(self, keep: int) -> list[str]:
        gone = _to_prune(self.releases(), self.current(), keep)
        for name in gone:
            shutil.rmtree(self.releases_dir / name, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                (self.releases_dir / f"{name}.files").unlink()
        return gone


def _copy_tree(site: Path, dest: Path, previous: Path | None) -> None:
    """Copy ``site`` to ``dest``; files identical to the previous release are hard-linked, not copied."""
    for rel in site_files(site):
        src, dst = site / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        old = previous / rel if previous else None
        if old is not None and old.is_file() and filecmp.cmp(src, old, shallow=False):
            try:
                os.link(old, dst)
                continue
            except OSError:
                pass
        shutil.copyfile(src, dst)


def _carry_assets(live: Path, incoming: Path, own_files: list[str]) -> list[str]:
    """Link the assets of the release going out into the one coming in, where it has no such file."""
    carried = []
    for rel in own_files:
        if is_page_or_index(rel):
            continue
        src, dst = live / rel, incoming / rel
        if dst.exists() or not src.is_file():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
        carried.append(rel)
    return carried


# ---------------------------------------------------------------- a folder on a server, over ssh + rsync

# Runs on the server with POSIX sh and GNU coreutils (mv -T). $1 = action, $2 = folder, then arguments.
REMOTE_SCRIPT = r"""
set -eu
action=$1; root=$2; shift 2
rel="$root/releases"
current() { if [ -L "$root/current" ]; then basename "$(readlink "$root/current")"; fi; }
releases() { for d in "$rel"/*/; do [ -d "$d" ] || continue; n=$(basename "$d"); case "$n" in .*) ;; *) echo "$n";; esac; done | sort; }
lock() { mkdir "$root/.gongkai-deploy.lock" 2>/dev/null || { echo "LOCKED" >&2; exit 75; }; trap 'rmdir "$root/.gongkai-deploy.lock"' EXIT; }
switch() {
  name=$1; live=$(current)
  if [ -n "$live" ] && [ "$live" != "$name" ] && [ -f "$rel/$live.files" ]; then
    while IFS= read -r f; do
      case "$f" in *.html|*.htm|*.xml|*.xml.gz|*.txt|*.json|*.csv|*.webmanifest|'') continue;; esac
      if [ ! -e "$rel/$name/$f" ] && [ -f "$rel/$live/$f" ]; then
        mkdir -p "$(dirname "$rel/$name/$f")"
        ln "$rel/$live/$f" "$rel/$name/$f" 2>/dev/null || cp "$rel/$live/$f" "$rel/$name/$f"
      fi
    done < "$rel/$live.files"
  fi
  ln -s "releases/$name" "$root/.current-$$"
  mv -T "$root/.current-$$" "$root/current"
}
case "$action" in
  state)
    mkdir -p "$rel"; echo "current $(current)"; for n in $(releases); do echo "release $n"; done ;;
  activate)
    lock; name=$1; keep=$2
    [ -d "$rel/.incoming-$name" ] || { echo "no incoming $name" >&2; exit 1; }
    (cd "$rel/.incoming-$name" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$rel/$name.files"
    mv -T "$rel/.incoming-$name" "$rel/$name"
    switch "$name"
    live=$(current); total=$(releases | wc -l); drop=$((total - keep))
    if [ "$drop" -gt 0 ]; then
      for n in $(releases | head -n "$drop"); do
        [ "$n" = "$live" ] && continue
        rm -rf "${rel:?}/$n" "$rel/$n.files"; echo "pruned $n"
      done
    fi ;;
  switch)
    lock; name=$1; [ -d "$rel/$name" ] || { echo "no release $name" >&2; exit 1; }; switch "$name" ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
"""


class SshTarget:
    """A folder on a server: rsync over ssh, then the same symlink switch, run by a small sh script."""

    def __init__(self, host: str, path: str, *, ssh: str | None = None, rsync: str | None = None) -> None:
        self.host, self.path = host, path.rstrip("/") or "/"
        self.ssh = shlex.split(ssh or os.environ.get("GONGKAI_SSH", "ssh"))
        self.rsync = shlex.split(rsync or os.environ.get("GONGKAI_RSYNC", "rsync"))

    def __str__(self) -> str:
        return f"{self.host}:{self.path}"

    def _run(self, action: str, *args: str) -> str:
        command = shlex.join(["sh", "-s", "--", action, self.path, *args])
        try:
            out = subprocess.run([*self.ssh, self.host, command], input=REMOTE_SCRIPT, capture_output=True,
                                 text=True, timeout=600, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise DeployError(f"无法运行 ssh 连接 {self.host}：{exc}") from exc
        if out.returncode == 75:
            raise DeployError(f"{self} 正在被另一个发布或回滚使用，请等它结束后再试。")
        if out.returncode != 0:
            raise DeployError(f"在服务器 {self.host} 上执行“{action}”失败（退出码 {out.returncode}）：{out.stderr.strip()[-500:]}")
        return out.stdout

    def _state(self) -> tuple[str | None, list[str]]:
        live, releases = None, []
        for line in self._run("state").splitlines():
            kind, _, value = line.partition(" ")
            if kind == "current" and value:
                live = value
            elif kind == "release" and _NAME.match(value):
                releases.append(value)
        return live, sorted(releases)

    def releases(self) -> list[str]:
        return self._state()[1]

    def current(self) -> str | None:
        return self._state()[0]

    def publish(self, site: Path, keep: int = DEFAULT_KEEP, *, release: str | None = None) -> Result:
        release = release or check_site(site)
        live, releases = self._state()
        name = new_release_name(release, releases)
        incoming = f"{self.path}/{RELEASES}/.incoming-{name}/"
        command = [*self.rsync, "-rl", "--checksum", "--delete", "-e", shlex.join(self.ssh)]
        if live:
            command.append(f"--link-dest=../{live}")  # unchanged files are hard links, not new copies
        command += [f"{Path(site)}/", f"{self.host}:{incoming}"]
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise DeployError(f"无法运行 rsync：{exc}。请在本机和服务器上安装 rsync。") from exc
        if out.returncode != 0:
            raise DeployError(f"rsync 上传到 {self.host} 失败（退出码 {out.returncode}），线上网站没有改变：{out.stderr.strip()[-500:]}")
        pruned = [line.split(" ", 1)[1] for line in self._run("activate", name, str(max(keep, 1))).splitlines()
                  if line.startswith("pruned ")]
        return Result(name, live, pruned)

    def rollback(self, to: str | None = None) -> Result:
        live, releases = self._state()
        name = _check_name(to, releases) if to else _previous(releases, live)
        self._run("switch", name)
        return Result(name, live)


# ---------------------------------------------------------------- S3-compatible object storage

META = "_gongkai"


def content_type(rel: str) -> str:
    if rel.endswith(".xml.gz"):
        return "application/gzip"
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml", "application/xml"):
        kind += "; charset=utf-8"
    return kind


class S3Target:
    """``s3://bucket/prefix``: releases kept under ``prefix/_gongkai/releases/``, copied live server side."""

    def __init__(self, bucket: str, prefix: str = "", *, client: Any = None, endpoint_url: str | None = None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        if client is None:
            try:
                import boto3
            except ImportError as exc:
                raise DeployError("发布到对象存储需要 boto3：请运行 .venv/bin/pip install -e '.[s3]'。") from exc
            client = boto3.client("s3", endpoint_url=endpoint_url or os.environ.get("GONGKAI_S3_ENDPOINT") or None)
        self.s3 = client
        self.workers = 4  # uploads and copies in flight at once (boto3 clients are thread-safe)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, *parts: str) -> str:
        return self.prefix + "/".join(p.strip("/") for p in parts if p)

    def _list(self, prefix: str) -> dict[str, str]:
        """key (relative to ``prefix``) → ETag, for every object under ``prefix``."""
        out: dict[str, str] = {}
        try:
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    out[obj["Key"][len(prefix):]] = obj["ETag"].strip('"')
        except Exception as exc:  # noqa: BLE001 - botocore raises many kinds; the operator gets one sentence
            raise DeployError(f"无法读取对象存储 {self}：{exc}") from exc
        return out

    @staticmethod
    def _own(keys: dict[str, str]) -> dict[str, str]:
        """The objects of this site only. A folder holding a ``_gongkai/`` of its own is another site published
        under this prefix (a department under the province portal, docs/multisite.md): never touched."""
        marker = f"/{META}/"
        nested = {k.split(marker, 1)[0] + "/" for k in keys if marker in k}
        if not nested:
            return keys
        return {k: v for k, v in keys.items() if not any(k.startswith(n) for n in nested)}

    def releases(self) -> list[str]:
        prefix = self._key(META, RELEASES) + "/"
        names = set()
        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/")
            for page in pages:
                names.update(p["Prefix"][len(prefix):].rstrip("/") for p in page.get("CommonPrefixes", []))
            # Some stores (SeaweedFS) keep listing a folder whose objects were all deleted: a release is
            # only there while it has objects.
            names = {n for n in names if _NAME.match(n)
                     and self.s3.list_objects_v2(Bucket=self.bucket, Prefix=f"{prefix}{n}/", MaxKeys=1).get("KeyCount", 0)}
        except Exception as exc:  # noqa: BLE001
            raise DeployError(f"无法读取对象存储 {self}：{exc}") from exc
        return sorted(names)

    def current(self) -> str | None:
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=self._key(META, CURRENT))["Body"].read()
        except Exception:  # noqa: BLE001 - missing object: nothing published yet
            return None
        return body.decode("utf-8").strip() or None

    def _call(self, what: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except Exception as exc:  # noqa: BLE001
            raise DeployError(f"对象存储操作失败（{what} {kwargs.get('Key', '')}）：{exc}") from exc

    def publish(self, site: Path, keep: int = DEFAULT_KEEP, *, release: str | None = None) -> Result:
        site = Path(site)
        release = release or check_site(site)
        live = self.current()
        name = new_release_name(release, self.releases())
        base = self._key(META, RELEASES, name)

        def put(rel: str) -> None:
            with open(site / rel, "rb") as fh:
                self._call("上传", self.s3.put_object, Bucket=self.bucket, Key=f"{base}/{rel}", Body=fh,
                           ContentType=content_type(rel), CacheControl=cache_control(rel))

        self._in_order(site_files(site), put)
        self._switch(name)
        pruned = self._prune(keep)
        return Result(name, live, pruned)

    def _in_order(self, files: list[str], action: Callable[[str], None]) -> None:
        """``action`` on every file, several at a time: all assets first, then (only then) pages and indexes."""
        assets = [f for f in files if not is_page_or_index(f)]
        pages = [f for f in files if is_page_or_index(f)]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for group in (assets, pages):
                for future in [pool.submit(action, rel) for rel in upload_order(group)]:
                    future.result()  # the whole group is done before the next begins

    def rollback(self, to: str | None = None) -> Result:
        releases, live = self.releases(), self.current()
        name = _check_name(to, releases) if to else _previous(releases, live)
        self._switch(name)
        return Result(name, live)

    def _switch(self, name: str) -> None:
        source = self._key(META, RELEASES, name) + "/"
        wanted = self._list(source)
        live = {k: v for k, v in self._own(self._list(self.prefix)).items() if not k.startswith(META + "/")}

        def copy(rel: str) -> None:
            self._call("复制", self.s3.copy_object, Bucket=self.bucket, Key=self.prefix + rel,
                       CopySource={"Bucket": self.bucket, "Key": source + rel}, MetadataDirective="COPY")

        # Assets first, so no page ever points at a missing file; unchanged objects are not copied.
        self._in_order([rel for rel in sorted(wanted) if live.get(rel) != wanted[rel]], copy)
        self._call("写入", self.s3.put_object, Bucket=self.bucket, Key=self._key(META, CURRENT),
                   Body=name.encode("utf-8"), ContentType="text/plain; charset=utf-8", CacheControl="no-cache")
        # Pages that this release no longer has. Old assets stay until pruning: pages opened a moment ago need them.
        for rel in sorted(live):
            if rel not in wanted and is_page_or_index(rel):
                self._call("删除", self.s3.delete_object, Bucket=self.bucket, Key=self.prefix + rel)

    def _prune(self, keep: int) -> list[str]:
        gone = _to_prune(self.releases(), self.current(), keep)
        stored: dict[str, set[str]] = {}  # release → its files, from one listing of every stored release
        for key in self._list(self._key(META, RELEASES) + "/"):
            name, _, rel = key.partition("/")
            stored.setdefault(name, set()).add(rel)
        for name in gone:
            for rel in sorted(stored.pop(name, ())):
                self._call("删除", self.s3.delete_object, Bucket=self.bucket, Key=self._key(META, RELEASES, name, rel))
        kept_assets = set().union(*stored.values()) if stored else set()
        for rel in self._own(self._list(self.prefix)):
            if not rel.startswith(META + "/") and not is_page_or_index(rel) and rel not in kept_assets:
                self._call("删除", self.s3.delete_object, Bucket=self.bucket, Key=self.prefix + rel)
        return gone


# ---------------------------------------------------------------- choosing a target

_SCP = re.compile(r"^(?P<host>[^/:\s]+):(?P<path>/.*)$")


def parse_target(spec: str, *, ssh: str | None = None, rsync: str | None = None,
                 endpoint_url: str | None = None, client: Any = None):
    """``s3://bucket/prefix``, ``[user@]host:/path``, ``ssh://[user@]host[:port]/path`` or a local folder."""
    spec = spec.strip()
    if not spec:
        raise DeployError("请给出发布目标：本机目录、user@服务器:/目录 或 s3://存储桶/前缀。")
    if spec.startswith("s3://"):
        bucket, _, prefix = spec[5:].partition("/")
        if not bucket:
            raise DeployError(f"对象存储地址 {spec} 缺少存储桶名称，应写成 s3://存储桶/前缀。")
        return S3Target(bucket, prefix, endpoint_url=endpoint_url, client=client)
    if spec.startswith("ssh://"):
        rest = spec[6:]
        hostport, slash, path = rest.partition("/")
        if not slash or not hostport:
            raise DeployError(f"服务器地址 {spec} 应写成 ssh://用户@服务器/目录。")
        host, _, port = hostport.partition(":")
        ssh_cmd = ssh or os.environ.get("GONGKAI_SSH", "ssh")
        if port:
            ssh_cmd += f" -p {shlex.quote(port)}"
        return SshTarget(host, "/" + path, ssh=ssh_cmd, rsync=rsync)
    m = _SCP.match(spec)
    if m:
        return SshTarget(m["host"], m["path"], ssh=ssh, rsync=rsync)
    return LocalTarget(Path(spec.removeprefix("file://")).expanduser())

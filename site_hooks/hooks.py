"""MkDocs hooks, in lifecycle order. Each is a line or two calling gongkai.mkdocs_site;
the YAML → page work itself is the plain function gongkai.generate.generate().
gongkai.bundles joins the site's stylesheets (and its first-paint scripts) into one file each;
gongkai.release adds what publishing needs (reproducible dates, release id, asset fingerprints, robots.txt)."""
from gongkai.engine import bundles
from gongkai.engine import adapter as site
from gongkai.publish import release


def on_startup(command, dirty):
    site.on_startup(command, dirty)


def on_config(config):
    config = site.on_config(config)
    return release.on_config(config, site.state.project)


def on_files(files, config):
    files = site.on_files(files, config)
    bundles.bundle(files, config)
    return release.on_files(files, config)


def on_pre_page(page, config, files):
    return site.on_pre_page(page)


def on_page_markdown(markdown, page, config, files):
    return site.on_page_markdown(markdown, page)


def on_page_content(html, page, config, files):
    return site.on_page_content(html, page)


def on_env(env, config, files):
    env = site.on_env(env, config)
    return release.on_env(env, site.is_serving())


def on_post_build(config):
    site.on_post_build(config)
    release.on_done()


def on_build_error(error):
    release.on_done()

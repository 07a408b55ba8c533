"""MkDocs hooks, in lifecycle order. Each is a line or two calling gongkai.mkdocs_site;
the YAML → page work itself is the plain function gongkai.generate.generate()."""
from gongkai import mkdocs_site as site


def on_config(config):
    return site.on_config(config)


def on_files(files, config):
    return site.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return site.on_page_markdown(markdown, page)


def on_page_content(html, page, config, files):
    return site.on_page_content(html, page)


def on_env(env, config, files):
    return site.on_env(env)


def on_post_build(config):
    site.on_post_build(config)

"""MkDocs hooks, in lifecycle order: each forwards to the one gongkai.engine Session of this process.

MkDocs loads this file once per process (it caches hook modules), so ``session`` lives across the
preview server's rebuilds; ``gongkai build`` finds it with ``gongkai.engine.adapter.session_of``.
The YAML → page work is the plain function ``gongkai.pages.generate.generate()``.
"""
from gongkai.engine.adapter import Session

session = Session()


def on_startup(command, dirty):
    session.on_startup(command, dirty)


def on_config(config):
    return session.on_config(config)


def on_files(files, config):
    return session.on_files(files, config)


def on_nav(nav, config, files):
    session.on_nav(nav)


def on_pre_page(page, config, files):
    return session.on_pre_page(page)


def on_page_markdown(markdown, page, config, files):
    return session.on_page_markdown(markdown, page)


def on_page_content(html, page, config, files):
    return session.on_page_content(html, page)


def on_env(env, config, files):
    return session.on_env(env, config)


def on_post_template(output_content, template_name, config):
    return session.on_post_page(output_content) if template_name.endswith(".html") else output_content


def on_post_page(output, page, config):
    return session.on_post_page(output)


def on_post_build(config):
    session.on_post_build(config)


def on_build_error(error):
    session.on_build_error(error)

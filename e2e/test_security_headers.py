"""The content security policy allows no inline script: the main pages, the admin and the
API docs run in Chromium without a single violation, and the language selector (once an
inline `onchange`) still switches the language."""

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/to-chuc/don-vi/",
    "/to-chuc/can-bo/",
    "/to-chuc/don-vi/KB/",
    "/thi-dua/",
    "/du-lieu/",
    "/tin-tuc/",
    "/api/docs",
    "/admin/",
]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_pages_run_without_csp_violations_and_the_language_switches(
    live_server, page, users, settings
):
    from playwright.sync_api import expect

    users["officer"].is_staff = True
    users["officer"].is_superuser = True
    users["officer"].save()
    page.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server.url + "/dang-nhap/")
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("secret-pass-123")
    page.locator("form.form button[type=submit]").click()
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
    page.goto(live_server.url + "/api/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert console == []

    page.goto(live_server.url + "/")
    page.locator("#language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

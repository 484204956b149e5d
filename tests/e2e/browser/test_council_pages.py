"""The council pages in the browser: the account page, motions and amendments, recall
from the council page, the mandate page; by keyboard alone; on a phone and a desktop."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from councilplan import services
from councilplan.cli.federation import DEMO_PASSWORD
from tests.e2e.browser.conftest import DESKTOP, PHONE, Site

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
NEW_PASSWORD = "a longer new password"


def _holder(site: Site, council: str, seat: str) -> str:
    m = next(m for m in services.list_mandates(site.uow, council, site.clock.now)
             if m.seat_id == seat and m.status == "active")
    return m.holder_id


def _mandate(site: Site, council: str, seat: str) -> str:
    return next(m.mandate_id for m in services.list_mandates(site.uow, council, site.clock.now)
                if m.seat_id == seat and m.status == "active")


def _fits(page: Page, label: str) -> None:
    assert page.evaluate(NO_OVERFLOW), f"{label}: the page is wider than the screen"


def test_the_pages_fit_a_phone_and_a_desktop(site: Site, visitor: Any) -> None:
    motion = services.table_new_motion(site.uow, "wp1", "jonas", "Move the weekly meeting "
                                       "to Thursday evenings.", site.clock.now)
    services.propose_motion_amendment(site.uow, motion.motion_id, "ada", "Thursday",
                                      "Wednesday", site.clock.now)
    secretary = _holder(site, "wp1", "wp1/secretary")
    delegate = _mandate(site, "wp1", "wp1/delegate")
    for viewport in (PHONE, DESKTOP):
        v = visitor(viewport)
        v.log_in(secretary)
        paths = {"home": "/", "council": "/councils/wp1", "area": "/councils/riverside",
                 "ballot": f"/ballots/{site.fed.open_ballot}", "audit": "/audit",
                 "account": "/account", "motions": "/councils/wp1/motions",
                 "motion": f"/motions/{motion.motion_id}",
                 "mandate": f"/mandates/{delegate}?period={site.fed.period}"}
        for label, path in paths.items():
            page = v.go(path)
            v.shot(label)
            _fits(page, label)
        w = visitor(viewport)
        w.log_in("wanjiru")  # the second workplace: its delegate's recall petition
        page = w.go(f"/petitions/{site.fed.petition}")
        w.shot("petition")
        _fits(page, "petition")


def test_a_member_changes_their_password_and_logs_in_with_the_new_one(
        site: Site, visitor: Any) -> None:
    v = visitor(PHONE)
    v.log_in("jonas")
    page = v.page
    page.get_by_role("link", name="My account").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    # a wrong current password is refused, naming the field
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("Current password")
    expect(page.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    v.shot("1-wrong-current")
    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url(re.compile(r"/login\?changed=1$"))
    expect(page.get_by_text("Your password was changed")).to_be_visible()
    v.shot("2-changed")
    # the old password no longer works; the new one does
    page.get_by_label("Username").fill("jonas")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("wrong username or password")
    v.log_in("jonas", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="My councils")).to_be_visible()


def test_a_delegate_tables_a_motion_and_another_member_amends_it(
        site: Site, visitor: Any) -> None:
    delegate = _holder(site, "wp1", "wp1/delegate")
    d = visitor(DESKTOP)
    d.log_in(delegate)
    page = d.go("/councils/wp1")
    page.get_by_label("Table a motion").fill("The canteen opens at 6am for the early shift.")
    page.get_by_role("button", name="Table it").click()
    page.wait_for_url(re.compile(r"/motions/mo-"))
    motion_url = page.url
    expect(page.locator("#motion-text")).to_have_text(
        "The canteen opens at 6am for the early shift.")
    expect(page.get_by_role("heading", name="Put the motion to the vote")).to_be_visible()
    d.shot("1-tabled")

    m = visitor(PHONE)
    m.log_in("jonas")
    page = m.go("/councils/wp1")
    page.get_by_role("link", name="amendments and ballots").first.click()
    page.wait_for_url(motion_url)
    # the proposer or an officer puts it to the vote, not any member
    expect(page.get_by_role("button", name="Put the motion to the vote")).to_have_count(0)
    page.get_by_label("Text to replace").fill("6pm")  # not in the text: refused, named
    page.get_by_label("Replace it by").fill("5am")
    page.get_by_role("button", name="Propose the amendment").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("Text to replace")
    expect(page.get_by_label("Text to replace")).to_have_value("6pm")  # kept to correct
    expect(page.get_by_label("Text to replace")).to_have_attribute("aria-invalid", "true")
    m.shot("2-refused")
    page.get_by_label("Text to replace").fill("6am")
    page.get_by_label("Replace it by").fill("5:30am")
    page.get_by_role("button", name="Propose the amendment").click()
    page.wait_for_load_state("networkidle")
    card = page.locator("article", has_text="Amendment by")
    expect(card).to_contain_text("pending")
    expect(card.locator("q.old")).to_have_text("6am")
    expect(card.locator("q.new")).to_have_text("5:30am")
    m.shot("3-amended")
    _fits(page, "motion")

    # the delegate (its proposer) puts the amendment to the vote first
    page = d.go(motion_url.removeprefix(site.url))
    expect(page.get_by_text("The amendments still pending are voted first")).to_be_visible()
    page.get_by_role("button", name="Put the amendment to the vote").click()
    page.wait_for_url(re.compile(r"/ballots/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("5:30am")
    d.shot("4-amendment-ballot")


def test_a_member_opens_a_recall_petition_from_the_council_page(site: Site,
                                                                visitor: Any) -> None:
    mandate = _mandate(site, "wp1", "wp1/secretary")
    v = visitor(PHONE)
    v.log_in("jonas")
    page = v.go("/councils/wp1")
    card = page.locator(f"#mandate-{mandate}")
    card.get_by_role("button", name="Open a recall petition").click()
    page.wait_for_url(re.compile(r"/petitions/pt-"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recall of Secretary")
    expect(page.locator("progress#sig-progress")).to_be_visible()
    v.shot("1-opened")
    page.get_by_role("button", name="Sign the petition").click()
    page.wait_for_url(re.compile(r"signed=1$"))
    petition = next(p for p in services.list_petitions(site.uow, "wp1", site.clock.now)
                    if p.mandate_id == mandate)
    assert petition.signatures == 1
    # back on the council page the petition is there to sign, not to open again
    page = v.go("/councils/wp1")
    card = page.locator(f"#mandate-{mandate}")
    expect(card.get_by_role("link", name=re.compile("A recall petition is open"))).to_be_visible()
    expect(card.get_by_role("button", name="Open a recall petition")).to_have_count(0)
    v.shot("2-council")


def _tab_to(page: Page, element_id: str, limit: int = 250) -> None:
    """Press Tab until the element has the focus (fails if it never gets it), and check
    the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == \
                element_id:
            outline = page.evaluate(
                "() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"#{element_id} has no visible focus"
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_the_new_forms_work_by_keyboard_alone_and_without_javascript(
        site: Site, visitor: Any) -> None:
    v = visitor(PHONE, java_script_enabled=False)
    page = v.go("/login")
    page.keyboard.type("jonas")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url + "/")

    # table a motion on the council page, by keyboard
    v.go("/councils/wp1")
    _tab_to(page, "motion-text")
    page.keyboard.type("Every shift elects a rota steward.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Table it")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/motions/mo-"))
    expect(page.locator("#motion-text")).to_have_text("Every shift elects a rota steward.")

    # amend it, by keyboard
    v.go(page.url.removeprefix(site.url))
    _tab_to(page, "old-text")
    page.keyboard.type("rota steward")
    _tab_to(page, "new-text")
    page.keyboard.type("safety steward")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Propose the amendment")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("q.new")).to_have_text("safety steward")
    v.shot("keyboard-amended")

    # change the password, by keyboard
    v.go("/account")
    _tab_to(page, "current_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change my password")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/login\?changed=1$"))
    expect(page.get_by_text("Your password was changed")).to_be_visible()
    v.shot("keyboard-password")


def test_every_field_of_the_new_pages_is_labelled(site: Site, visitor: Any) -> None:
    secretary = _holder(site, "wp1", "wp1/secretary")
    v = visitor(DESKTOP)
    v.log_in(secretary)
    motion = services.table_new_motion(site.uow, "wp1", secretary, "A motion.", site.clock.now)
    delegate = _mandate(site, "wp1", "wp1/delegate")
    for path in ("/account", "/councils/wp1", "/councils/wp1/motions",
                 f"/motions/{motion.motion_id}", f"/mandates/{delegate}"):
        page = v.go(path)
        unlabeled = page.evaluate(
            "() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
            ".map(e => e.name || e.id)")
        assert unlabeled == [], (path, unlabeled)
    # the officer's forms are on the pages they run
    page = v.go("/councils/wp1")
    expect(page.get_by_role("group", name="Admit a member")).to_be_visible()
    expect(page.get_by_role("group", name="Define a seat")).to_be_visible()
    page = v.go(f"/mandates/{delegate}")
    expect(page.get_by_role("group", name="Review the pay against the cap")).to_be_visible()

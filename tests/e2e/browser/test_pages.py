"""What members, delegates and officers do in the browser, on a phone and a desktop."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from playwright.sync_api import expect

from councilplan import services
from tests.e2e.browser.conftest import DESKTOP, PHONE, Site

DAY = timedelta(days=1)


def _holder(site: Site, council: str, seat: str) -> str:
    m = next(m for m in services.list_mandates(site.uow, council, site.clock.now)
             if m.seat_id == seat and m.status == "active")
    return m.holder_id


def test_a_member_votes_keeps_the_receipt_and_finds_it_after_the_close(
        site: Site, visitor: Any) -> None:
    v = visitor(PHONE)
    v.log_in("jonas")
    page = v.page
    expect(page.get_by_role("heading", name="My councils")).to_be_visible()
    v.shot("1-home")
    page.get_by_role("link", name="Election: Health and safety rep").click()
    page.wait_for_load_state("networkidle")
    ballot = services.show_ballot(site.uow, site.fed.open_ballot)
    first, second = ballot.options[1], ballot.options[0]
    names = services.member_names(site.uow, ballot.options)
    page.get_by_label(re.compile(re.escape(names[first]))).select_option("1")
    page.get_by_label(re.compile(re.escape(names[second]))).select_option("2")
    v.shot("2-paper")
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_role("heading", name="Your vote is cast")).to_be_visible()
    token = page.get_by_label("Receipt token").input_value()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert re.fullmatch(r"[0-9a-f]{64}", code)
    v.shot("3-receipt")

    # others vote too (an even split of first preferences: the count needs transfers),
    # then the week passes and the ballot closes
    o = ballot.options
    for voter, ranking in (("ada", [o[2], o[1]]), ("bert", [o[2], o[0]]),
                           ("carmen", [o[0], o[1]]), ("dmitri", [o[0], o[2]]),
                           ("esi", [o[1], o[0]])):
        services.cast_vote(site.uow, ballot.ballot_id, voter, ranking, site.clock.now)
    site.clock.now = ballot.closes_at + timedelta(minutes=1)
    v.log_in("jonas")  # the session ended meanwhile (sessions last 12 hours)
    v.go(f"/ballots/{ballot.ballot_id}")
    page.get_by_role("button", name="Close and count").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.get_by_text("Elected:")).to_be_visible()
    expect(page.locator("table.stages")).to_be_visible()
    expect(page.get_by_role("list", name="First preferences")).to_be_visible()
    assert page.locator("table.stages thead th").count() > 2  # more than one stage
    v.shot("4-result")

    # "did my vote count?" with the kept token
    page.get_by_label("Your receipt token").fill(token)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Your paper is in the counted ballots")).to_be_visible()

    page.get_by_role("link", name=re.compile("The published ballots")).click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Find my receipt code").fill(code)
    page.get_by_role("button", name="Find").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#find-result")).to_contain_text("Found")
    expect(page.locator("tr.mine")).to_contain_text(code)
    assert page.locator("table.papers tbody tr").count() == 6
    v.shot("5-published")


def test_a_delegates_pay_above_the_cap_is_refused_on_the_page(site: Site,
                                                               visitor: Any) -> None:
    secretary = _holder(site, "wp1", "wp1/secretary")
    delegate = next(m for m in services.list_mandates(site.uow, "wp1", site.clock.now,
                                                       period=site.fed.period)
                    if m.seat_id == "wp1/delegate")
    assert delegate.cap is not None
    v = visitor(DESKTOP)
    v.log_in(secretary)
    page = v.go("/councils/wp1")
    card = page.locator(f"#mandate-{delegate.mandate_id}")
    expect(card).to_contain_text(str(delegate.cap.cap))
    above = delegate.cap.cap + Decimal("100.00")
    card.get_by_label(re.compile("Set pay for")).fill(str(above))
    card.get_by_role("button", name="Set pay").click()
    page.wait_for_load_state("networkidle")
    alert = page.locator(f"#mandate-{delegate.mandate_id} [role=alert]")
    expect(alert).to_contain_text("Refused")
    expect(alert).to_contain_text("cap")
    v.shot("1-refused")
    pay = services.list_mandates(site.uow, "wp1", site.clock.now)
    assert next(m for m in pay if m.mandate_id == delegate.mandate_id).pay[-1].amount < above
    card = page.locator(f"#mandate-{delegate.mandate_id}")
    card.get_by_label(re.compile("Set pay for")).fill(str(delegate.cap.cap))
    card.get_by_role("button", name="Set pay").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#mandate-{delegate.mandate_id}")).to_contain_text(
        f"{delegate.cap.cap:,.2f} for {site.fed.period}")
    v.shot("2-within-the-cap")
    # the delegate sees their pay and cap, but no pay form (nobody sets their own pay)
    d = visitor(PHONE)
    d.log_in(delegate.holder_id)
    d.go("/councils/wp1")
    expect(d.page.locator(f"#mandate-{delegate.mandate_id}")).to_be_visible()
    expect(d.page.locator(f"#mandate-{delegate.mandate_id} form[action$='/pay']")).to_have_count(0)
    d.shot("3-delegate-view")


def test_a_recall_petition_reaches_its_threshold_and_opens_a_ballot(site: Site,
                                                                   visitor: Any) -> None:
    v = visitor(PHONE)
    v.log_in("wanjiru")
    page = v.page
    page.get_by_role("link", name=re.compile("Recall of")).first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("progress#sig-progress")).to_be_visible()
    v.shot("1-petition")
    page.get_by_role("button", name="Sign the petition").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("The threshold was reached")).to_be_visible()
    v.shot("2-threshold")
    page.get_by_role("link", name="the recall ballot is open").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recall")
    page.get_by_label("yes").check()
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_role("heading", name="Your vote is cast")).to_be_visible()
    v.shot("3-recall-vote")


def test_the_pages_work_by_keyboard_alone_and_without_javascript(site: Site,
                                                                  visitor: Any) -> None:
    v = visitor(PHONE, java_script_enabled=False)
    page = v.go("/login")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus: type at once
    page.keyboard.type("jonas")
    page.keyboard.press("Tab")
    page.keyboard.type("councilplan-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(site.url + "/")
    v.go(f"/ballots/{site.fed.open_ballot}")
    expect(page.get_by_role("button", name="Cast my vote")).to_be_visible()
    selects = page.locator("select[name=rank]")
    selects.first.select_option("1")
    page.get_by_role("button", name="Cast my vote").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Your vote is cast")).to_be_visible()
    v.shot("no-js-receipt")


def test_every_field_is_labelled_and_the_audit_log_verifies_with_progress(
        site: Site, visitor: Any) -> None:
    v = visitor(DESKTOP)
    v.log_in(_holder(site, "wp1", "wp1/secretary"))
    for path in ("/", "/councils/wp1", f"/ballots/{site.fed.open_ballot}", "/audit",
                 "/councils/riverside"):
        page = v.go(path)
        unlabeled = page.evaluate(
            "() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
            ".map(e => e.name || e.id)")
        assert unlabeled == [], (path, unlabeled)
    page = v.go("/audit")
    page.get_by_role("button", name="Verify the whole log now").click()
    expect(page.get_by_text("Verified")).to_be_visible(timeout=15_000)
    expect(page.locator("progress#job-bar")).to_have_attribute("value", "100.0")
    v.shot("audit-verified")

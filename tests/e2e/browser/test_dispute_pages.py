"""A strike in the browser, on a phone and a desktop: a striker reads the roster and the
employer's offer and votes on it with a receipt; a member not on strike gets no paper and
their vote is refused; after the close the results notice shows the turnout and every
threshold; the strike committee records an offer and pays strike pay from its forms."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from councilplan import services
from tests.e2e.browser.conftest import DESKTOP, PHONE, Site


def _open_dispute(v: Any, site: Site, shot: str = "") -> None:
    page = v.page
    page.get_by_role("link", name="Disputes", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Disputes", level=1)).to_be_visible()
    if shot:
        v.shot(shot)
    page.get_by_role("link", name="Northfield Components Ltd").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(f"/disputes/{site.fed.dispute.dispute}$"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_striker_reads_the_offer_and_votes_on_it(site: Site, visitor: Any,
                                                   viewport: dict[str, int]) -> None:
    demo = site.fed.dispute
    v = visitor(viewport)
    v.log_in(demo.striker)
    _open_dispute(v, site, "0-disputes")
    page = v.page
    roster = page.locator("table.roster")
    expect(roster.locator("tbody tr")).to_have_count(len(demo.strikers))
    names = services.member_names(site.uow, [demo.striker])
    expect(roster).to_contain_text(names[demo.striker])
    expect(page.locator(".stats")).to_contain_text(f"{len(demo.strikers)} on strike")
    offer = page.locator(f"#offer-{demo.offer}")
    expect(offer).to_contain_text("the strike days are not paid")
    expect(page.locator("#fund")).to_contain_text("Runway")
    expect(page.locator("#committee")).to_contain_text("Strike committee chair")
    v.shot("1-dispute")
    ballot = page.locator(f"#ballot-{demo.strike_ballot}")
    ballot.get_by_label("Yes").check()
    ballot.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_role("heading", name="Your vote is cast")).to_be_visible()
    assert re.fullmatch(r"[0-9a-f]{64}", page.get_by_label("Receipt token").input_value())
    assert re.fullmatch(r"[0-9a-f]{64}", page.locator("#receipt-code").inner_text().strip())
    v.shot("2-receipt")


def test_a_member_not_on_strike_gets_no_paper_and_is_refused(site: Site,
                                                             visitor: Any) -> None:
    demo = site.fed.dispute
    v = visitor(PHONE)
    v.log_in(demo.non_strikers[0])
    _open_dispute(v, site)
    page = v.page
    ballot = page.locator(f"#ballot-{demo.strike_ballot}")
    expect(ballot.get_by_role("button", name="Cast my vote")).to_have_count(0)
    expect(ballot).to_contain_text("Only the strikers on the roster")
    expect(page.locator(f"#offer-{demo.offer}")).to_contain_text(
        "The full text is published to the strikers")
    expect(page.locator(f"#offer-{demo.offer}")).not_to_contain_text("the strike days are not paid")
    expect(page.locator("#fund")).to_have_count(0)
    expect(page.locator("#committee-actions")).to_have_count(0)
    v.shot("1-not-on-strike")
    # a paper sent anyway (a hand-made form) is refused, and nothing is in the box
    token = page.locator("input[name=csrf_token]").first.input_value()
    with site.uow.reading():
        papers = site.uow.box.count(demo.strike_ballot)
    r = page.request.post(f"{site.url}/ballots/{demo.strike_ballot}/vote",
                          form={"choice": "yes", "csrf_token": token})
    assert r.status == 403, r.status
    assert "electorate" in r.text()
    r = page.request.post(f"{site.url}/disputes/{demo.dispute}/offers",
                          form={"summary": "x", "text": "y", "csrf_token": token})
    assert r.status == 403, r.status
    with site.uow.reading():
        assert site.uow.box.count(demo.strike_ballot) == papers == len(demo.voted)
        assert not site.uow.register.has_voted(demo.strike_ballot, demo.non_strikers[0])
    assert len(services.list_offers(site.uow, demo.dispute)) == 1


def test_after_the_close_the_notice_shows_turnout_and_thresholds(site: Site,
                                                                 visitor: Any) -> None:
    demo = site.fed.dispute
    for voter in [m for m in demo.strikers if m not in (*demo.voted, demo.striker)][:3]:
        services.cast_vote(site.uow, demo.strike_ballot, voter, "yes", site.clock.now)
    closes = services.show_ballot(site.uow, demo.strike_ballot).closes_at
    site.clock.now = closes + timedelta(minutes=1)
    v = visitor(DESKTOP)
    v.log_in(demo.striker)
    v.go(f"/disputes/{demo.dispute}")
    page = v.page
    ballot = page.locator(f"#ballot-{demo.strike_ballot}")
    ballot.get_by_role("button", name="Close and count").click()
    page.wait_for_url(re.compile(f"/ballots/{demo.strike_ballot}"))
    expect(page.get_by_role("heading", name="Result", exact=True)).to_be_visible()
    expect(page.get_by_role("list", name="Votes cast")).to_be_visible()
    v.shot("1-ballot-result")
    v.go(f"/disputes/{demo.dispute}")
    ballot = page.locator(f"#ballot-{demo.strike_ballot}")
    notice = services.results_notice(site.uow, demo.strike_ballot).notice
    expect(ballot.get_by_role("heading", name="Results notice")).to_be_visible()
    expect(ballot).to_contain_text(f"{notice['turnout_percent']} ({notice['voted']} of "
                                   f"{notice['entitled']})")
    expect(ballot.locator("table.checks tbody tr")).to_have_count(len(notice["checks"]))
    expect(ballot.locator("table.checks")).to_contain_text("Majority")
    expect(ballot).to_contain_text("Carried" if notice["passed"] else "Not carried")
    # the action ballot held before: turnout and majority, the last day of action
    action = page.locator(f"#ballot-{demo.action_ballot}")
    expect(action.locator("table.checks")).to_contain_text("Turnout")
    expect(action.locator("td.met")).to_have_count(2)
    last = services.results_notice(site.uow, demo.action_ballot).notice["mandate_last_day"]
    expect(action).to_contain_text(f"Last day of action{last}")
    expect(ballot.get_by_role("list", name=re.compile("Papers"))).to_be_visible()
    v.shot("2-notice")


def test_the_committee_records_an_offer_and_pays_strike_pay(site: Site,
                                                            visitor: Any) -> None:
    demo = site.fed.dispute
    v = visitor(PHONE)
    v.log_in(demo.chair)
    _open_dispute(v, site)
    page = v.page
    form = page.locator("form[action$='/offers']")
    form.get_by_label("Summary").fill("4% now")
    form.get_by_label("Full text, as received").fill("4% on all basic rates from 1 April.")
    form.get_by_role("button", name="Record and publish to the strikers").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#offers")).to_contain_text("4% on all basic rates from 1 April.")
    before = services.fund_of(site.uow, demo.dispute, site.clock.now).balance
    week = site.clock.now.isocalendar()
    pay = page.locator("form[action$='/pay-run']")
    pay.get_by_label("Period").fill(f"{week[0]}-W{week[1]:02d}")
    pay.get_by_label("Amount to each").fill("60.005")
    pay.get_by_role("button", name="Pay strike pay").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("not an amount")
    pay = page.locator("form[action$='/pay-run']")
    pay.get_by_label("Amount to each").fill("60.00")
    pay.get_by_label("Period").fill(f"{week[0]}-W{week[1]:02d}")
    pay.get_by_role("button", name="Pay strike pay").click()
    expected = before - 60 * len(demo.strikers)
    expect(page.locator("#fund")).to_contain_text(f"{expected:,.2f} GBP")
    assert services.fund_of(site.uow, demo.dispute, site.clock.now).balance == expected
    page.get_by_text("Set up the committee").click()
    expect(page.get_by_label("Candidates (strikers' member ids, separated by commas)")
           ).to_be_visible()
    v.shot("1-committee")

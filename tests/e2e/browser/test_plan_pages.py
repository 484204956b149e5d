"""The plan in the browser: a planner compares variants side by side, opens a
workplace's targets, searches labour values and computes one more variant (a job with
progress); a member enters a need, and a bad quantity is refused naming the field."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from councilplan.services import plan_cycle as pc
from tests.e2e.browser.conftest import DESKTOP, PHONE, Site

UNLABELLED = ("() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
              ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
              ".map(e => e.name || e.id)")


def _main_nav(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan",
                                                            exact=True).click()


def _open_period(page: Page, period_id: str) -> None:
    _main_nav(page)
    expect(page.get_by_role("heading", name="The plan")).to_be_visible()
    page.locator(f"a[href='/plan/{period_id}']").click()
    expect(page.get_by_role("navigation", name="This plan")).to_be_visible()


def _this_plan(page: Page, link: str) -> None:
    page.get_by_role("navigation", name="This plan").get_by_role("link", name=link).click()


def test_a_planner_compares_variants(site: Site, visitor: Any) -> None:
    plan = site.fed.plan
    for viewport in (DESKTOP, PHONE):
        v = visitor(viewport)
        v.log_in(plan.planner)
        page = v.page
        _open_period(page, plan.voting)
        expect(page.get_by_role("link", name="The ratification ballot")).to_be_visible()
        _this_plan(page, "Variants")
        expect(page.get_by_role("heading", name="Variants side by side")).to_be_visible()
        compare = page.locator(".compare table")
        for key in plan.variants:  # side by side: one column each
            expect(compare.locator("thead th", has_text=f"{key}:")).to_have_count(1)
        for measure in ("Tier 1 needs met", "Tier 2 needs met", "Hours of work",
                        "Average working week"):
            expect(compare.get_by_role("rowheader", name=measure)).to_be_visible()
        # a chart per measure, each with its figures in a table beside it
        for title in ("Tier 1 needs met", "Tier 2 needs met", "Hours of work",
                      "Average working week the plan takes", "Capacities that bind"):
            expect(page.locator("figcaption", has_text=title)).to_have_count(1)
            expect(page.locator("caption", has_text=f"{title}: the figures")).to_have_count(1)
        shown = {r.key: r for r in pc.list_variants(site.uow, plan.voting)}
        tier2 = {k: next(t for t in r.summary["tiers"] if t["tier"] == 2)["share_met"]
                 for k, r in shown.items()}
        assert tier2["35h"] > tier2["32h"] > tier2["30h"]  # fewer hours, fewer needs met
        row = compare.locator("tr", has=page.get_by_role("rowheader", name="Tier 2 needs met"))
        expect(row).to_contain_text(f"{100 * tier2['30h']:.1f}%")
        assert page.evaluate(UNLABELLED) == []
        v.shot("1-variants")

        # the ratification ballot: the members' secret ballot on the variants
        page.get_by_role("link", name="Vote on these variants: the ratification ballot").click()
        expect(page.get_by_role("heading", name="The ratification ballot")).to_be_visible()
        for key in plan.variants:
            expect(page.locator("main li strong", has_text=key).first).to_be_visible()
        page.get_by_role("link", name=re.compile("vote, keep your receipt")).click()
        expect(page.get_by_role("button", name="Cast my vote")).to_be_visible()
        v.shot("1b-ballot")

        # the plan in force: a workplace's targets
        _main_nav(page)
        page.locator(f"a[href='/plan/{plan.in_force}']").click()
        _this_plan(page, "Targets")
        second, name = site.fed.workplaces[1]
        page.get_by_label("Workplace").select_option(second)
        page.get_by_role("button", name="Show its targets").click()
        expect(page.get_by_role("heading", name=f"Targets of {name}")).to_be_visible()
        expect(page.locator("caption", has_text="Inputs, by supplier").first).to_be_visible()
        expect(page.locator("caption", has_text="Needs it serves directly").first).to_be_visible()
        v.shot("2-targets")

        # labour values: by code, then by a word of the name, a page at a time
        _this_plan(page, "Labour values")
        expect(page.get_by_role("heading", name="Labour values")).to_be_visible()
        products = list(pc.catalogue(site.uow))
        first = products[0]
        total = page.locator("#values caption")
        if len(products) > 20:
            expect(total).to_contain_text(f"{len(products)} products, page 1 of")
            page.get_by_role("link", name="Next page").click()
            expect(total).to_contain_text("page 2 of")
        page.get_by_label("Code or name").fill(first.code)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("rowheader", name=re.compile(re.escape(first.code)))
               ).to_be_visible()
        word = max(re.findall(r"[A-Za-z]+", first.name), key=len)
        page.get_by_label("Code or name").fill(word.lower())
        page.get_by_role("button", name="Search").click()
        expect(total).to_contain_text(f"matching “{word.lower()}”")
        expect(page.get_by_role("rowheader", name=re.compile(re.escape(first.code)))
               ).to_be_visible()
        v.shot("3-labour-values")
        if viewport is PHONE:
            continue

        # one more variant for the period still registering: a job with its progress
        v.go(f"/plan/{plan.registering}/variants")
        page.get_by_label("Key (on the ballot)").fill("34h")
        page.get_by_label("Name").fill("A 34-hour week")
        page.get_by_label("Hours a week").fill("34")
        page.get_by_role("button", name="Compute").click()
        expect(page.get_by_role("heading", name="Computing plan variants")).to_be_visible()
        page.get_by_role("link", name="See the variants side by side").click(timeout=30_000)
        expect(page.locator(".compare thead th", has_text="34h:")).to_have_count(1)
        v.shot("4-computed")


def test_a_member_enters_a_need_and_a_bad_quantity_is_refused(site: Site,
                                                              visitor: Any) -> None:
    plan = site.fed.plan
    member = site.fed.logins[0].username  # a member of the first workplace
    product = next(iter(pc.catalogue(site.uow)))
    v = visitor(PHONE)
    v.log_in(member)
    page = v.page
    _open_period(page, plan.registering)
    _this_plan(page, "Needs")
    expect(page.get_by_role("heading", name="Enter a need of your council")).to_be_visible()
    page.get_by_label("Find a product by code or name").fill(product.code)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text(f"Product (matching “{product.code}”)")).to_be_visible()
    page.get_by_label(re.compile("^Product")).select_option(product.code)
    page.get_by_label("Quantity").fill("lots")
    page.get_by_label("Reason").fill("the canteen")
    page.get_by_role("button", name="Register the need").click()
    expect(page.get_by_role("alert")).to_contain_text("Refused")
    error = page.locator("#need-quantity-error")
    expect(error).to_contain_text("Quantity")
    expect(error).to_contain_text("'lots' is not a quantity")
    expect(page.get_by_label("Quantity")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Quantity")).to_have_value("lots")  # kept, to correct
    assert page.evaluate(UNLABELLED) == []
    v.shot("1-bad-quantity")
    page.get_by_label("Quantity").fill("12.5")
    page.get_by_role("button", name="Register the need").click()
    mine = page.locator("section[aria-labelledby=mine] table")
    expect(mine.get_by_role("row", name=re.compile(re.escape(product.code)))).to_contain_text(
        "12.5")
    expect(mine).to_contain_text("the canteen")
    v.shot("2-need-registered")


def test_a_variant_is_computed_and_a_need_entered_without_javascript(site: Site,
                                                                     visitor: Any) -> None:
    plan = site.fed.plan
    v = visitor(PHONE, java_script_enabled=False)
    v.log_in(plan.planner)
    page = v.go(f"/plan/{plan.registering}/variants")
    page.get_by_label("Key (on the ballot)").fill("33h")
    page.get_by_label("Name").fill("A 33-hour week")
    page.get_by_label("Hours a week").fill("too many")
    page.get_by_role("button", name="Compute").click()
    expect(page.locator("#compute-hours_per_week-error")).to_contain_text("'too many' is not")
    expect(page.get_by_label("Name")).to_have_value("A 33-hour week")  # kept, to correct
    page.get_by_label("Hours a week").fill("33")
    page.get_by_role("button", name="Compute").click()
    # the progress page reloads itself (a meta refresh) until the job is done
    page.get_by_role("link", name="See the variants side by side").click(timeout=30_000)
    expect(page.locator(".compare thead th", has_text="33h:")).to_have_count(1)
    v.shot("1-no-js-computed")
    page = v.go(f"/plan/{plan.registering}/needs")
    page.get_by_label("Quantity").fill("7")
    page.get_by_role("button", name="Register the need").click()
    expect(page.locator("section[aria-labelledby=mine] table")).to_contain_text("7.0")

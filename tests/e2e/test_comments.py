"""Comments on a card, as people use them: Alice asks her manager with an @mention in her
deal's detail, the manager is notified, opens the card from the notification and
answers; a blank comment is refused beside its field."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.app_fixtures import new_deal, screenshot


def test_a_mention_notifies_the_manager_who_answers_on_the_card(page_as):
    manager = page_as("manager")  # signed in: roles are known from a sign-in
    alice = page_as("alice")
    alice.goto("/deals")
    name = f"Terms for Initech {uuid.uuid4().hex[:6]}"
    new_deal(alice, name)
    prospecting = alice.get_by_role("region", name="Prospecting", exact=True)
    prospecting.get_by_role("button", name=name).click()
    detail = alice.get_by_role("dialog", name=name)
    history = detail.get_by_role("list", name="History")  # the card's one timeline
    said = history.get_by_role("listitem").filter(has_text="commented")
    expect(said).to_have_count(0)
    detail.get_by_role("button", name="Comment", exact=True).click()
    expect(detail.get_by_text("Write something first.", exact=True)).to_be_visible()
    detail.get_by_label("Add a comment").fill("@Max Manager can we give 10 % off?")
    detail.get_by_role("button", name="Comment", exact=True).click()
    expect(alice.get_by_text("Comment added. Max Manager will be notified.")).to_be_visible()
    expect(said).to_have_count(1)
    expect(said).to_contain_text("Alice Member commented")
    expect(said).to_contain_text("@Max Manager can we give 10 % off?")
    expect(detail.get_by_label("Add a comment")).to_have_value("")
    screenshot(alice, "card-comments")

    manager.goto("/deals")
    manager.get_by_role("button", name="Notifications").click()
    notes = manager.get_by_role("dialog", name="Notifications")
    expect(notes).to_contain_text(f"Alice Member mentioned you on {name}")
    note = notes.get_by_role("listitem").filter(has_text=name)
    note.get_by_role("link", name="Open card").click()
    answer = manager.get_by_role("dialog", name=name)
    answer.get_by_label("Add a comment").fill("Yes, up to 10 %.")
    answer.get_by_role("button", name="Comment", exact=True).click()
    answers = answer.get_by_role("list", name="History").get_by_role("listitem")
    expect(answers.filter(has_text="commented")).to_have_count(2)
    expect(answers.first).to_contain_text("Max Manager commented")  # newest first

    detail.get_by_role("button", name="Close", exact=True).click()
    prospecting.get_by_role("button", name=name).click()
    expect(history).to_contain_text("Yes, up to 10 %.")

"""The Tickets pages: open one with a file, the list with filter, search and CSV export, the thread
with the operator's reply, replying, "OK, resolved"; another customer's ticket refused."""

import io
import re


def open_ticket(browser, subject: str, message: str = "It does not work.", files=None, **form):
    browser.get("/tickets/new")
    data = {"subject": subject, "message": message, **form}
    if files:
        data["attachments"] = files
    response = browser.post("/tickets/new", data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return int(re.search(r"/tickets/(\d+)", response.headers["Location"]).group(1))


def test_a_new_ticket_with_a_file_is_in_the_list(jane):
    ticket_id = open_ticket(
        jane, "Wi-Fi drops", files=[(io.BytesIO(b"08:01 link down\n"), "router-log.txt")], priority="high"
    )

    page = jane.text(f"/tickets/{ticket_id}?notice=ticket_created")
    listing = jane.text("/tickets")
    attachment = re.search(r'href="(/tickets/\d+/attachments/\d+)"', page).group(1)
    file = jane.get(attachment)

    assert "Your ticket is open." in page and "router-log.txt" in page and "OK, resolved" in page
    assert re.search(rf'data-ticket="{ticket_id}">.*?Wi-Fi drops.*?High', listing, re.S)
    assert file.data == b"08:01 link down\n" and file.headers["Content-Disposition"].startswith("attachment")


def test_an_empty_form_is_shown_again_with_what_is_missing(jane):
    jane.get("/tickets/new")

    response = jane.post("/tickets/new", {"subject": " ", "message": "Hello"}, content_type="multipart/form-data")

    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)


def test_filter_search_and_csv_export(jane):
    open_ticket(jane, "Router blinks red", priority="urgent")
    open_ticket(jane, "Invoice question", priority="low")

    urgent = jane.text("/tickets?priority=urgent")
    found = jane.text("/tickets?q=invoice")
    export = jane.get("/tickets/export.csv?q=router")

    assert "Router blinks red" in urgent and "Invoice question" not in urgent
    assert "Invoice question" in found and "Router blinks red" not in found
    assert export.mimetype == "text/csv"
    lines = export.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 2 and "Router blinks red" in lines[1]


def test_the_thread_a_reply_and_ok_resolved(jane, seed):
    ticket_id = open_ticket(jane, "No dial tone")
    seed.operator_reply(ticket_id, "Please restart the router.")
    seed.internal_note(ticket_id, "Customer is on the old exchange.")

    page = jane.text(f"/tickets/{ticket_id}")
    replied = jane.post(
        f"/tickets/{ticket_id}/reply", {"body": "Done, it works now."}, content_type="multipart/form-data"
    )
    closed = jane.post(f"/tickets/{ticket_id}/close")
    after = jane.text(f"/tickets/{ticket_id}")

    assert "Please restart the router." in page and "old exchange" not in page
    assert re.search(r'data-figure="comment-count">2<', page)
    assert replied.headers["Location"] == f"/tickets/{ticket_id}?notice=reply_sent"
    assert closed.headers["Location"] == f"/tickets/{ticket_id}?notice=ticket_closed"
    assert "This ticket is closed." in after and "OK, resolved" not in after and "Return to list" in after


def test_another_customers_ticket_is_refused(jane, seed, sign_in_browser):
    other = seed.customer("someone.else", status="active", emails=["else@example.com"])
    theirs = open_ticket(sign_in_browser(other), "Their problem")

    assert jane.get(f"/tickets/{theirs}").status_code == 404
    assert jane.post(f"/tickets/{theirs}/close").status_code == 404
    assert "Their problem" not in jane.text("/tickets")

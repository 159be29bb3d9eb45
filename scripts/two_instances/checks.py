#!/usr/bin/env python3
"""Black-box checks of two Bilim instances on one PostgreSQL, Redis and S3 bucket.

Run by scripts/two-instances.sh, which starts the servers and passes, in the
environment: BILIM_A and BILIM_B (base URLs), BILIM_OUTBOX_DIR (the file outbox
both write to), BILIM_ADMIN_LOGIN / BILIM_ADMIN_EMAIL / BILIM_ADMIN_PASSWORD (a
super admin made with `bilim create-admin`) and BILIM_AUTH_LIMIT (the per-IP
limit both run with). Both servers trust 127.0.0.1 as a proxy, so each check
speaks from its own client address (X-Forwarded-For), as clients behind a load
balancer would.

Each check prints one line; a failure says what differed. Exits 1 when any
check failed. Needs `requests` (in the venv of tests/s3/requirements.txt).
"""

import datetime
import email
import email.policy
import os
import pathlib
import secrets
import struct
import sys
import time
import traceback
import zlib

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "openapi"))
from tokens import code_for, seen  # noqa: E402  (the outbox reader the other suites use)

A = os.environ["BILIM_A"].rstrip("/")
B = os.environ["BILIM_B"].rstrip("/")
OUTBOX = pathlib.Path(os.environ["BILIM_OUTBOX_DIR"])
AUTH_LIMIT = int(os.environ["BILIM_AUTH_LIMIT"])
PASSWORD = "Samarqand-1924-bahor!"
REMINDER_SUBJECT = "Bilim: kursga kirish muddati tugamoqda"


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def client_ip() -> str:
    """A fresh address (198.18.0.0/15, kept for tests) per caller: its own per-IP budget."""
    return f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


class Client:
    """Requests from one client address to either instance."""

    def __init__(self) -> None:
        self.ip = client_ip()
        self.session = requests.Session()

    def call(self, method: str, url: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-For": self.ip, "Accept": "application/json", **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # No cookie jar between calls: each refresh token is sent explicitly.
        self.session.cookies.clear()
        return self.session.request(method, url, headers=headers, timeout=30, **kwargs)

    def json(self, method: str, url: str, wanted: int, token: str | None = None, **kwargs) -> dict:
        response = self.call(method, url, token, **kwargs)
        expect(
            response.status_code == wanted,
            f"{method} {url} answered {response.status_code}, not {wanted}: {response.text[:400]}",
        )
        return response.json() if response.content else {}


def register(client: Client, on: str, verify_on: str, email: str) -> dict:
    """Registers `email` on `on` and verifies its code on `verify_on`."""
    before = seen(OUTBOX)
    body = {"first_name": "Aziz", "last_name": "Karimov", "email": email, "password": PASSWORD}
    challenge = client.json("POST", f"{on}/api/v1/auth/register", 200, json=body)
    code = code_for(OUTBOX, email, before)
    verify = {"challenge_id": challenge["challenge_id"], "code": code}
    return client.json("POST", f"{verify_on}/api/v1/auth/register/verify", 201, json=verify)


def admin_token(client: Client) -> str:
    before = seen(OUTBOX)
    body = {"login": os.environ["BILIM_ADMIN_LOGIN"], "password": os.environ["BILIM_ADMIN_PASSWORD"]}
    challenge = client.json("POST", f"{A}/api/v1/admin/auth/login", 200, json=body)
    code = code_for(OUTBOX, os.environ["BILIM_ADMIN_EMAIL"], before)
    verify = {"challenge_id": challenge["challenge_id"], "code": code}
    # Both steps on A: the checks that need an admin test something else.
    return client.json("POST", f"{A}/api/v1/admin/auth/login/verify", 200, json=verify)["access_token"]


def new_email() -> str:
    return f"two-{secrets.token_hex(5)}@example.uz"


# ---------------------------------------------------------------- checks


def a_code_issued_by_a_verifies_on_b() -> None:
    signed_in = register(Client(), A, B, new_email())
    expect(signed_in.get("access_token"), f"no access token: {signed_in}")


def a_refresh_token_reused_on_b_revokes_its_family() -> None:
    client = Client()
    first = register(client, A, A, new_email())["refresh_token"]
    rotated = client.json("POST", f"{A}/api/v1/auth/refresh", 200, json={"refresh_token": first})
    second = rotated["refresh_token"]
    expect(second != first, "refresh did not rotate the token")
    reused = client.call("POST", f"{B}/api/v1/auth/refresh", json={"refresh_token": first})
    expect(reused.status_code == 401, f"the reused token answered {reused.status_code} on B: {reused.text[:300]}")
    after = client.call("POST", f"{A}/api/v1/auth/refresh", json={"refresh_token": second})
    expect(
        after.status_code == 401,
        f"the family was not revoked: the newest token still answered {after.status_code} on A",
    )


def course_with_lesson(client: Client, token: str) -> tuple[str, str]:
    """A published course with one module and lesson, made through A."""
    name = f"Fizika {secrets.token_hex(3)}"
    direction = client.json("POST", f"{A}/api/v1/admin/directions", 201, token, json={"name": name})
    course = client.json(
        "POST",
        f"{A}/api/v1/admin/courses",
        201,
        token,
        json={
            "direction_id": direction["id"],
            "title": name,
            "description": "Ikki nusxa sinovi",
            "level": "beginner",
            "status": "published",
        },
    )
    module = client.json(
        "POST", f"{A}/api/v1/admin/courses/{course['id']}/modules", 201, token, json={"title": "Mexanika"}
    )
    lesson = client.json(
        "POST", f"{A}/api/v1/admin/modules/{module['id']}/lessons", 201, token, json={"title": "Kuch"}
    )
    return course["id"], lesson["id"]


def a_catalogue_change_on_a_is_on_b_s_cached_page_at_once(admin: Client, token: str) -> None:
    course, lesson = course_with_lesson(admin, token)
    page = f"{B}/api/v1/courses/{course}"
    for _ in range(2):  # the second read is served from B's memory
        title = admin.json("GET", page, 200)["modules"][0]["lessons"][0]["title"]
        expect(title == "Kuch", f"B shows {title!r} before the change")
    admin.json("PATCH", f"{A}/api/v1/admin/lessons/{lesson}", 200, token, json={"title": "Nyuton qonunlari"})
    title = admin.json("GET", page, 200)["modules"][0]["lessons"][0]["title"]
    expect(title == "Nyuton qonunlari", f"B still shows {title!r} after A changed it")


def rate_limits_are_shared() -> None:
    client = Client()
    body = {"email": new_email(), "password": "Not-the-password-1"}
    answers = []
    for i in range(AUTH_LIMIT + 1):
        instance = A if i % 2 == 0 else B
        answers.append(client.call("POST", f"{instance}/api/v1/auth/login", json=body).status_code)
    expect(429 not in answers[:AUTH_LIMIT], f"limited too early: {answers}")
    expect(
        answers[AUTH_LIMIT] == 429,
        f"{AUTH_LIMIT} requests split over A and B did not use up one budget: {answers}",
    )


def the_access_job_on_both_sends_each_mail_once(admin: Client, token: str) -> None:
    course, _ = course_with_lesson(admin, token)
    students = []
    for i in range(4):
        email = new_email()
        user = register(Client(), A if i % 2 else B, B if i % 2 else A, email)["user"]
        students.append((email, user["id"]))
    ends = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).isoformat()
    for i, (_, user) in enumerate(students):
        instance = A if i % 2 else B
        admin.json(
            "POST",
            f"{instance}/api/v1/admin/users/{user}/courses",
            200,
            token,
            json={"course_ids": [course], "expires_at": ends},
        )
    # Both jobs run every second; give them several runs each after the first mail.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(reminders(email) == 0 for email, _ in students):
        time.sleep(0.2)
    time.sleep(3)
    counts = {email: reminders(email) for email, _ in students}
    expect(all(count == 1 for count in counts.values()), f"reminder mails per student (want 1 each): {counts}")


def reminders(address: str) -> int:
    count = 0
    for path in OUTBOX.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in str(message["To"]) and str(message["Subject"]) == REMINDER_SUBJECT:
            count += 1
    return count


def png(width: int, height: int) -> bytes:
    """A small valid PNG (a gradient), made with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width * 3)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def files_uploaded_through_a_are_served_by_b(admin: Client, token: str) -> None:
    course, lesson = course_with_lesson(admin, token)
    video = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + secrets.token_bytes(400_000)
    uploaded = admin.call(
        "PUT",
        f"{A}/api/v1/admin/lessons/{lesson}/video",
        token,
        files={"file": ("video.mp4", video, "video/mp4")},
        data={"duration_seconds": "120"},
    )
    expect(uploaded.status_code == 204, f"the video upload on A answered {uploaded.status_code}: {uploaded.text[:300]}")
    student = Client()
    signed_in = register(student, B, B, new_email())
    admin.json("POST", f"{A}/api/v1/admin/users/{signed_in['user']['id']}/courses", 200, token, json={"course_ids": [course]})

    # The video: B hands out the bucket's presigned link; the bytes are A's upload.
    link = student.json("GET", f"{B}/api/v1/lessons/{lesson}/video", 200, signed_in["access_token"])
    expect("X-Amz-Signature=" in link["url"], f"not a presigned link: {link['url']}")
    fetched = requests.get(link["url"], timeout=30)
    expect(fetched.status_code == 200, f"the presigned link answered {fetched.status_code}")
    expect(fetched.content == video, f"B's link serves {len(fetched.content)} bytes, not the {len(video)} uploaded on A")
    ranged = requests.get(link["url"], headers={"Range": "bytes=100-199"}, timeout=30)
    expect(ranged.status_code == 206 and ranged.content == video[100:200], f"range: {ranged.status_code}")

    # The avatar: set through A, served through B's API from the bucket.
    image = png(40, 30)
    set_on_a = student.call(
        "PUT", f"{A}/api/v1/users/me/avatar", signed_in["access_token"], files={"image": ("a.png", image, "image/png")}
    )
    expect(set_on_a.status_code == 200, f"the avatar upload on A answered {set_on_a.status_code}: {set_on_a.text[:300]}")
    me = student.json("GET", f"{B}/api/v1/users/me", 200, signed_in["access_token"])
    url = me.get("avatar_url") or ""
    expect(url.startswith(f"{B}/api/v1/files/"), f"B's avatar link is not B's: {url!r}")
    served = student.call("GET", url)
    expect(served.status_code == 200, f"B served the avatar with {served.status_code}")
    expect(served.headers.get("content-type") == "image/jpeg", f"avatar type {served.headers.get('content-type')}")
    expect(served.content[:2] == b"\xff\xd8", "the avatar B serves is not a JPEG")


def main() -> int:
    started = time.monotonic()
    admin = Client()
    results = []
    checks = [
        ("a code issued by A verifies on B", a_code_issued_by_a_verifies_on_b, False),
        ("a refresh token rotated on A and reused on B revokes its family", a_refresh_token_reused_on_b_revokes_its_family, False),
        ("rate limits are shared", rate_limits_are_shared, False),
        ("a catalogue change on A is on B's cached course page at once", a_catalogue_change_on_a_is_on_b_s_cached_page_at_once, True),
        ("files uploaded through A are served by B", files_uploaded_through_a_are_served_by_b, True),
        ("the access job on both instances sends each mail once", the_access_job_on_both_sends_each_mail_once, True),
    ]
    token = None
    for title, check, needs_admin in checks:
        begun = time.monotonic()
        try:
            if needs_admin and token is None:
                token = admin_token(admin)
            check(admin, token) if needs_admin else check()
            results.append(True)
            print(f"ok      {title} ({time.monotonic() - begun:.1f} s)")
        except Exception as error:  # noqa: BLE001  every failure is reported, then the next check runs
            results.append(False)
            print(f"FAILED  {title}: {error}")
            if not isinstance(error, CheckFailed):
                traceback.print_exc()
    passed, failed = results.count(True), results.count(False)
    print(f"two instances: {passed} passed, {failed} failed in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

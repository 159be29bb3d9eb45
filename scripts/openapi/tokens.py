#!/usr/bin/env python3
"""Signs in to a running Bilim the way a person would, through the email codes.

Usage: tokens.py BASE_URL OUTBOX_DIR ADMIN_LOGIN ADMIN_EMAIL ADMIN_PASSWORD

The admin must exist already (`bilim create-admin`). Two users are registered
(`POST /auth/register`, then `/auth/register/verify` with the code read from the
newest `.eml` file of the file outbox addressed to them) and the admin logs in
(`POST /admin/auth/login`, then `/admin/auth/login/verify`). Prints shell
assignments, one a line:

    BILIM_ADMIN_TOKEN=…    an admin access token (15 minutes)
    BILIM_USER_TOKEN=…     a user access token (15 minutes)
    BILIM_USER2_TOKEN=…    a second user, for the routes that end their own session
    BILIM_USER_ID=…

Only the Python standard library: the Swagger UI check uses it without the venv.
"""

import email
import email.policy
import json
import pathlib
import re
import secrets
import sys
import time
import urllib.error
import urllib.request


class TokenError(RuntimeError):
    """A step of signing in did not answer as expected."""


def post(base: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def expect(status: int, answer: dict, wanted: int, what: str) -> dict:
    if status != wanted:
        raise TokenError(f"{what} answered {status}, not {wanted}: {json.dumps(answer)}")
    return answer


def code_for(outbox: pathlib.Path, address: str, after: set[str]) -> str:
    """The six-digit code of the newest mail to `address` not in `after`."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        # Names are `<nanos>-<uuid>.eml`, in send order.
        for path in sorted(outbox.glob("*.eml"), reverse=True):
            if path.name in after:
                continue
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address not in str(message["To"]):
                continue
            part = message.get_body(preferencelist=("plain",))
            text = part.get_content() if part is not None else ""
            match = re.search(r"^\s*(\d{6})\s*$", text, re.MULTILINE)
            if match:
                return match.group(1)
        time.sleep(0.1)
    raise TokenError(f"no code mail to {address} in {outbox} after 15 s")


def seen(outbox: pathlib.Path) -> set[str]:
    return {path.name for path in outbox.glob("*.eml")} if outbox.is_dir() else set()


def register(base: str, outbox: pathlib.Path, address: str) -> dict:
    before = seen(outbox)
    password = "Fuzz-" + secrets.token_urlsafe(18)
    body = {"first_name": "Sinov", "last_name": "Foydalanuvchi", "email": address, "password": password}
    challenge = expect(*post(base, "/api/v1/auth/register", body), 200, f"register {address}")
    code = code_for(outbox, address, before)
    verify = {"challenge_id": challenge["challenge_id"], "code": code}
    return expect(*post(base, "/api/v1/auth/register/verify", verify), 201, f"register/verify {address}")


def admin_login(base: str, outbox: pathlib.Path, login: str, password: str, address: str) -> dict:
    before = seen(outbox)
    body = {"login": login, "password": password}
    challenge = expect(*post(base, "/api/v1/admin/auth/login", body), 200, "admin login")
    code = code_for(outbox, address, before)
    verify = {"challenge_id": challenge["challenge_id"], "code": code}
    return expect(*post(base, "/api/v1/admin/auth/login/verify", verify), 200, "admin login/verify")


def new_user(base: str, outbox: pathlib.Path) -> dict:
    """Registers a new student with a fresh address; the signed-in answer."""
    return register(base, outbox, f"fuzz-{secrets.token_hex(6)}@bilim.test")


def main() -> None:
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    base, outbox_dir, login, admin_email, password = sys.argv[1:]
    base = base.rstrip("/")
    outbox = pathlib.Path(outbox_dir)
    try:
        admin = admin_login(base, outbox, login, password, admin_email)
        user = new_user(base, outbox)
        user2 = new_user(base, outbox)
    except TokenError as error:
        sys.exit(f"tokens.py: {error}")
    print(f"BILIM_ADMIN_TOKEN={admin['access_token']}")
    print(f"BILIM_USER_TOKEN={user['access_token']}")
    print(f"BILIM_USER2_TOKEN={user2['access_token']}")
    print(f"BILIM_USER_ID={user['user']['id']}")


if __name__ == "__main__":
    main()

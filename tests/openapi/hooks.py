"""Schemathesis hooks of `scripts/check-openapi.sh schemathesis` (SCHEMATHESIS_HOOKS).

Each operation gets the token of the security scheme the document declares for
it: `admin_token` the admin's (BILIM_ADMIN_TOKEN; no route ends it), `user_token`
a user's, the public routes none. Because the token comes from a provider,
Schemathesis knows which header is the credential, and the ignored_auth check
sends each secured operation without it and with a wrong one. (Schemathesis
skips these providers when schemathesis.toml has `[auth.openapi.*]`, so the
config sets no token.)

The user token. Some operations end the account or every session of the user
whose token they carry (DELETE /users/me, POST /auth/logout-all, a password
change), and an admin operation may deactivate that user (PATCH
/admin/users/{id} with `active: false`, reached through the user list). After
that every request of the user would only see 401, and the rest of the run
would test nothing behind the token. So the operations that declare
`user_token` take it from this provider: it starts with the token the script
made (BILIM_USER_TOKEN) and, on a 401, Schemathesis asks it again and it signs
a new student up through the emailed code (scripts/openapi/tokens.py, reading
BILIM_OUTBOX_DIR), then replays the request once.
"""

import atexit
import os
import pathlib
import sys

import schemathesis

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts" / "openapi"))
import tokens  # noqa: E402

BASE_URL = os.environ["BILIM_BASE_URL"].rstrip("/")
OUTBOX = pathlib.Path(os.environ["BILIM_OUTBOX_DIR"])


def declares(scheme: str):
    def matches(ctx) -> bool:
        raw = getattr(getattr(ctx.operation, "definition", None), "raw", None) or {}
        requirements = raw.get("security") or []
        return any(scheme in requirement for requirement in requirements if isinstance(requirement, dict))

    return matches


def bearer(case, token: str) -> None:
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth(refresh_interval=None, retry_on=[]).apply_to(declares("admin_token"))
class AdminToken:
    def get(self, case, ctx):
        return os.environ["BILIM_ADMIN_TOKEN"]

    def set(self, case, data, ctx):
        bearer(case, data)


@schemathesis.auth(refresh_interval=600, retry_on=[401]).apply_to(declares("user_token"))
class UserToken:
    def __init__(self) -> None:
        self.first = os.environ.get("BILIM_USER_TOKEN")
        self.signed_up = 0
        atexit.register(self.report)

    def report(self) -> None:
        if self.signed_up:
            print(f"hooks.py: the user token stopped working {self.signed_up} time(s); each time a new user was signed up")

    def get(self, case, ctx):
        if self.first:
            token, self.first = self.first, None
            return token
        self.signed_up += 1
        return tokens.new_user(BASE_URL, OUTBOX)["access_token"]

    def set(self, case, data, ctx):
        bearer(case, data)

"""Who is asking: accounts over the web (login, session cookie, CSRF) and the API (Bearer tokens).

- A browser logs in at /login (name and password, scrypt-checked); it gets a session cookie
  (random, stored as its SHA-256; HttpOnly, SameSite=Strict, Secure when served over HTTPS,
  12 hours) and the session's CSRF token, which every POST from a page sends back (a form
  field `csrf` or the `X-CSRF-Token` header) and is compared in constant time.
- A script sends `Authorization: Bearer <token>`: an account's token (`newsledger user add`) or
  the operator's `$NEWSLEDGER_TOKEN`, which counts as an admin. A Bearer request carries no
  cookie-borne authority, so it needs no CSRF token.
- Failed logins are throttled: after MAX_FAILURES for one name, or from one address, within
  THROTTLE_WINDOW, further tries are refused (429) until the window has passed.
- Reading is open unless the app is private; every write needs a reviewer or admin (`writer`),
  ingest an admin (`admin`).
"""

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from newsledger.review import accounts
from newsledger.store import Ledger
from newsledger.store import accounts as store_accounts

SESSION_COOKIE = "newsledger_session"
LOGIN_CSRF_COOKIE = "newsledger_login_csrf"
SESSION_LIFETIME = timedelta(hours=12)
MAX_FAILURES = 5
THROTTLE_WINDOW = 15 * 60.0
OPEN_PATHS = ("/login", "/logout")
"""Paths a private app serves without a login."""

BEARER = HTTPBearer(
    auto_error=False,
    description="An account's API token (newsledger user add) or the operator's $NEWSLEDGER_TOKEN.",
)


@dataclass(frozen=True)
class Principal:
    """Who sent a request: an account (or the operator's token), how, and the session's CSRF."""

    name: str
    role: str
    via: str  # "session", "token" (an account's) or "operator" ($NEWSLEDGER_TOKEN)
    csrf: str | None = None  # the session's CSRF token (sessions only)

    @property
    def can_write(self) -> bool:
        return self.role in store_accounts.WRITERS


class Throttle:
    """Failed logins per key (a name, an address) in a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = THROTTLE_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def wait(self, keys: list[str]) -> float:
        """Seconds until any of `keys` may try again (0: now)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                recent[0] + self.window - now
                for key in keys
                if len(recent := self._recent(key, now)) >= self.limit
            ]
        return max(waits, default=0.0)

    def fail(self, keys: list[str]) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def _hash(value: str) -> str:
    return accounts.hash_token(value)


def _same(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def form_fields(request: Request) -> dict[str, str]:
    """An HTML form's fields (application/x-www-form-urlencoded; the last of a repeated name);
    empty for other bodies. Parsed here: python-multipart is not needed for these small forms."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no //host, no scheme) is followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/review"


class Auth:
    """The app's view of accounts: who a request is from, and the checks writes need."""

    def __init__(
        self,
        ledger: Callable[[], Ledger],
        operator_token: str | None,
        private: bool = False,
        throttle: Throttle | None = None,
        lookup: Callable[[], Ledger] | None = None,
    ) -> None:
        """`ledger` gives the (thread's) ledger that writes: sessions, logins, the audit log;
        `lookup` (default: the same) the one that finds who a token or cookie belongs to, which
        only reads (the app's read-only connection: a browser's every request looks its session
        up, and should not need a writing connection in its thread for that)."""
        self.ledger = ledger
        self.lookup = lookup or ledger
        self.operator_token = operator_token
        self.private = private
        self.throttle = throttle or Throttle()
        self.who, self.reader, self.writer, self.admin = self._dependencies()

    # who ------------------------------------------------------------------------------------

    def from_token(self, token: str) -> Principal | None:
        if self.operator_token is not None and _same(token, self.operator_token):
            return Principal("operator", "admin", "operator")
        found = accounts.by_token(self.lookup(), token)
        return Principal(found.name, found.role, "token") if found else None

    def from_session(self, request: Request) -> Principal | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        found = store_accounts.session(self.lookup(), _hash(cookie))
        if found is None:
            return None
        account, csrf = found
        return Principal(account.name, account.role, "session", csrf)

    def principal(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None
    ) -> Principal | None:
        """The request's account: its Bearer token when it sends one (a wrong token is 401,
        not a fall back to the cookie), else its session cookie, else None."""
        if credentials is not None:
            found = self.from_token(credentials.credentials)
            if found is None:
                raise HTTPException(
                    401,
                    "the token is not valid (or its account is disabled): send "
                    "Authorization: Bearer <token>",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return found
        return self.from_session(request)

    def anyone_can_write(self) -> bool:
        """Whether any credential could write: an operator token or any account."""
        return self.operator_token is not None or bool(store_accounts.list_accounts(self.lookup()))

    # checks (FastAPI dependencies) ---------------------------------------------------------

    def _dependencies(self) -> tuple[Callable[..., Any], ...]:
        """(who, reader, writer, admin): the request's Principal or None; and the checks for
        every route (a private app's login), for writes (reviewer or admin, CSRF with a
        session), and for ingest (admin)."""

        async def who(
            request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
        ) -> Principal | None:
            if credentials is None and not request.cookies.get(SESSION_COOKIE):
                return None  # nothing to look up: answered here, not in a worker thread
            return await run_in_threadpool(self.principal, request, credentials)

        # async (no I/O): a sync dependency costs every request a hop to a worker thread
        async def reader(
            request: Request, principal: Annotated[Principal | None, Depends(who)]
        ) -> None:
            if not self.private or principal is not None or request.url.path in OPEN_PATHS:
                return
            if request.url.path.startswith("/api/"):
                raise HTTPException(
                    401,
                    "this ledger is private: log in, or send Authorization: Bearer <token>",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            raise HTTPException(303, "log in first", headers={"Location": f"/login?next={target}"})

        async def writer(
            request: Request, principal: Annotated[Principal | None, Depends(who)]
        ) -> Principal:
            if principal is None:
                if not self.anyone_can_write():
                    raise HTTPException(
                        403,
                        "writes over HTTP are off: the operator creates an account "
                        "(newsledger user add) or starts the server with $NEWSLEDGER_TOKEN",
                    )
                raise HTTPException(
                    401,
                    "log in as a reviewer, or send Authorization: Bearer <token>",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            if principal.via == "session":
                given = request.headers.get("x-csrf-token")
                if given is None:
                    given = (await form_fields(request)).get("csrf")
                if not _same(given, principal.csrf):
                    raise HTTPException(403, "the CSRF token is missing or wrong: reload the page")
            if not principal.can_write:
                raise HTTPException(
                    403,
                    f"{principal.name} is a {principal.role}: writing needs a reviewer or admin",
                )
            request.state.principal = principal  # for the write's own record (audit log)
            return principal

        def admin(principal: Annotated[Principal, Depends(writer)]) -> Principal:
            if principal.role != "admin":
                raise HTTPException(
                    403, f"{principal.name} is a {principal.role}: this needs an admin"
                )
            return principal

        return who, reader, writer, admin

    # sessions ------------------------------------------------------------------------------

    def start_session(
        self, response: Response, request: Request, account: store_accounts.Account
    ) -> None:
        cookie = secrets.token_urlsafe(32)
        store_accounts.add_session(
            self.ledger(), _hash(cookie), account, secrets.token_urlsafe(32), SESSION_LIFETIME
        )
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def router(auth: Auth, templates: Jinja2Templates) -> APIRouter:
    """/login (GET form, POST), /logout (POST) and /api/me."""
    routes = APIRouter()
    who = auth.who

    def login_page(request: Request, message: str, status: int, target: str) -> HTMLResponse:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        response = templates.TemplateResponse(
            request,
            "login.html",
            {"nav": "review", "message": message, "csrf": token, "next": target},
            status_code=status,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/login",
        )
        return response

    @routes.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str | None = None) -> HTMLResponse:
        return login_page(request, "", 200, _safe_next(next))

    @routes.post("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login(request: Request) -> Response:
        # the form is read here; the scrypt check and the ledger run in the thread pool
        return await run_in_threadpool(login_checked, request, await form_fields(request))

    def login_checked(request: Request, fields: dict[str, str]) -> Response:
        name, password = fields.get("name", ""), fields.get("password", "")
        csrf, next = fields.get("csrf", ""), fields.get("next")
        target = _safe_next(next)
        if not _same(csrf, request.cookies.get(LOGIN_CSRF_COOKIE)):
            return login_page(request, "The form expired: log in again.", 403, target)
        address = request.client.host if request.client else "unknown"
        keys = [f"name:{name}", f"address:{address}"]
        wait = auth.throttle.wait(keys)
        if wait > 0:
            message = f"Too many failed logins: try again in {int(wait) + 1} seconds."
            refused = login_page(request, message, 429, target)
            refused.headers["Retry-After"] = str(int(wait) + 1)
            return refused
        account = accounts.login(auth.ledger(), name, password)
        store_accounts.audit(auth.ledger(), name, "login" if account else "login failed", address)
        if account is None:
            auth.throttle.fail(keys)
            return login_page(
                request, "Wrong name or password (or the account is disabled).", 401, target
            )
        auth.throttle.clear(f"name:{name}")
        response = RedirectResponse(target, status_code=303)
        auth.start_session(response, request, account)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    @routes.post("/logout", include_in_schema=False)
    async def logout(
        request: Request, principal: Annotated[Principal | None, Depends(who)]
    ) -> Response:
        csrf = (await form_fields(request)).get("csrf", "")
        return await run_in_threadpool(logout_checked, request, principal, csrf)

    def logout_checked(request: Request, principal: Principal | None, csrf: str) -> Response:
        if principal is None or principal.via != "session" or not _same(csrf, principal.csrf):
            raise HTTPException(403, "log out from the page's own form")
        cookie = request.cookies.get(SESSION_COOKIE, "")
        store_accounts.end_session(auth.ledger(), _hash(cookie))
        store_accounts.audit(auth.ledger(), principal.name, "logout", "")
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @routes.get("/api/me", tags=["accounts"])
    def me(principal: Annotated[Principal | None, Depends(who)]) -> dict[str, Any]:
        """The account this request is from (name, role), or 401."""
        if principal is None:
            raise HTTPException(401, "not logged in", headers={"WWW-Authenticate": "Bearer"})
        return {"name": principal.name, "role": principal.role, "via": principal.via}

    return routes

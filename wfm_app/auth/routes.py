"""Sign-in routes on the backend: /auth/login, /auth/callback, /auth/logout."""

from __future__ import annotations

import html
import logging
from urllib.parse import quote

from reflex.config import get_config
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from wfm_app.auth import oidc, sessions
from wfm_app.settings import settings

log = logging.getLogger("wfm.auth")
BINDING_COOKIE = "wfm_signin"


def backend_url() -> str:
    return get_config().api_url.rstrip("/")


def frontend_url() -> str:
    return (get_config().deploy_url or backend_url()).rstrip("/")


def login_url(next_path: str = "/") -> str:
    return f"{backend_url()}/auth/login?next={quote(next_path, safe='/')}"


def _secure() -> bool:
    return frontend_url().startswith("https://")


def _callback_url() -> str:
    return f"{backend_url()}/auth/callback"


def _refusal(message: str, status: int = 400) -> HTMLResponse:
    body = f"""<!doctype html><html lang="en"><head><title>Sign-in failed · WFM</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto;">
<main><h1>Sign-in failed</h1><p role="alert">{html.escape(message)}</p>
<p><a href="{html.escape(login_url("/"))}">Sign in again</a> ·
<a href="{html.escape(frontend_url())}/">Back to WFM</a></p></main></body></html>"""
    return HTMLResponse(body, status_code=status)


async def login(request: Request) -> Response:
    try:
        url, state = await oidc.begin(_callback_url(), request.query_params.get("next"))
    except oidc.SignInError as error:
        log.warning("sign-in refused: %s", error.message)
        return _refusal(error.message, 503)
    except Exception:
        log.exception("identity provider unreachable")
        return _refusal("The identity provider cannot be reached right now; try again soon.", 503)
    response = RedirectResponse(url, status_code=302)
    # The callback must come back to the browser that started the sign-in: a flow started
    # by someone else (login CSRF) finds no matching cookie here.
    response.set_cookie(
        BINDING_COOKIE,
        state,
        max_age=oidc.FLOW_MINUTES * 60,
        httponly=True,
        samesite="lax",
        secure=_secure(),
        path="/auth",
    )
    return response


async def callback(request: Request) -> Response:
    params = request.query_params
    try:
        token, next_path = await oidc.complete(
            _callback_url(),
            state=params.get("state"),
            code=params.get("code"),
            error=params.get("error"),
            browser_state=request.cookies.get(BINDING_COOKIE),
        )
    except oidc.SignInError as error:
        log.warning("sign-in rejected: %s", error.message)
        return _refusal(error.message)
    sessions.end(sessions.token_from_cookie_header(request.headers.get("cookie")))  # rotate
    response = RedirectResponse(f"{frontend_url()}{next_path}", status_code=302)
    response.set_cookie(
        sessions.COOKIE_NAME,
        token,
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=_secure(),
        path="/",
    )
    response.delete_cookie(BINDING_COOKIE, path="/auth")
    return response


def _from_our_pages(request: Request) -> bool:
    """A browser request sent by one of our own pages: DEPLOY_URL, WFM_ALLOWED_ORIGINS
    (both in rxconfig's cors_allowed_origins) or the backend itself. No Origin, no entry."""
    origin = request.headers.get("origin")
    allowed = {*get_config().cors_allowed_origins, backend_url()}
    return origin is not None and origin.rstrip("/") in allowed


async def logout(request: Request) -> Response:
    """POST from our own pages only: a cross-site request cannot sign anyone out."""
    if request.method != "POST":
        return HTMLResponse(_SIGN_OUT_PAGE, status_code=405, headers={"Allow": "POST"})
    if not _from_our_pages(request):
        log.warning("sign-out refused: origin %r", request.headers.get("origin"))
        return _refusal("Sign out from the app's own pages.", 403)
    token = sessions.token_from_cookie_header(request.headers.get("cookie"))
    id_token = sessions.id_token_of(token)
    sessions.end(token)
    after = f"{frontend_url()}/"
    target = await oidc.end_session_url(id_token, after) if id_token else None
    # 303: the browser follows a POST's redirect with a GET.
    response = RedirectResponse(target or after, status_code=303)
    response.delete_cookie(sessions.COOKIE_NAME, path="/")
    return response


_SIGN_OUT_PAGE = """<!doctype html><html lang="en"><head><title>Sign out · WFM</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto;">
<main><h1>Sign out</h1><form method="post"><button type="submit">Sign out</button></form>
</main></body></html>"""

routes = [
    Route("/auth/login", login),
    Route("/auth/callback", callback),
    Route("/auth/logout", logout, methods=["GET", "POST"]),
]

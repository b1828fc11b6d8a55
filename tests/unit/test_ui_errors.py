from wfm_app.errors import Conflict, Unauthenticated
from wfm_app.ui.errors import handle_backend_error


def _text(spec) -> str:
    return str(spec)


def test_engine_refusals_show_their_sentence_and_the_rest_is_masked():
    assert "moved it meanwhile" in _text(
        handle_backend_error(Conflict("Someone else moved it meanwhile."))
    )
    assert "session has ended" in _text(handle_backend_error(Unauthenticated("x")))
    masked = _text(handle_backend_error(RuntimeError("secret /etc/passwd")))
    assert "secret" not in masked and "went wrong on our side" in masked

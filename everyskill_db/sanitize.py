"""Keep API keys, passwords and connection strings out of stored text.

    from everyskill_db.sanitize import sanitize_object, sanitize_payload

    result = sanitize_payload("retry with password=hunter2x! on postgres://app:s3cr3t@db/prod")
    result.sanitized      # 'retry with password=[REDACTED] on postgres://app:[REDACTED]@db/prod'
    result.secrets_found  # ('url_credentials', 'password_assignment')

    sanitize_object({"env": ["DB_PASSWORD=s3cr3t"], "tries": 3}).sanitized
    # {'env': ['DB_PASSWORD=[REDACTED]'], 'tries': 3}

Each secret is replaced by ``[REDACTED]`` and the text around it is kept: an assignment keeps
its key and quotes (``"api_key": "[REDACTED]"``), a URL keeps its scheme, user and host
(``postgres://app:[REDACTED]@db/prod``), a Slack webhook keeps ``hooks.slack.com/services/``.
A PEM private key is replaced whole, armour lines included; a key cut off before its END line
loses its header and every base64 line that follows.

``secrets_found`` names the kinds (see ``KINDS``), never the values, in the order they were
first detected: detectors run most specific first, so ``password=ghp_...`` reports only
``github_token``, and each later detector leaves an existing ``[REDACTED]`` alone. Sanitizing
sanitized text changes nothing and reports nothing.

What is deliberately left alone: prose that merely mentions a password, token, key, secret or
bearer; UUIDs, git SHAs, model names, file paths and URLs without credentials; placeholders
(``${DB_PASSWORD}``, ``<your-token>``, ``YOUR_API_KEY``, ``***``, ``null``); code that passes a
secret around rather than spelling it (``password=getpass()``, ``token=os.environ["TOKEN"]``,
``api_key=settings.api_key``, ``password=password``); numeric values of token/secret/key
assignments (``max_token=4096`` style counts; numeric passwords are still redacted). In the
``key: value`` form with an unquoted key and value - the form prose uses too
("Password: reset it in settings") - the value must look like a secret: at least 6 characters
with a digit or a symbol, or at least 20 characters. Unquoted values end at whitespace, a quote,
a comma, a semicolon, a backslash, a bracket or the ``&`` before a query string's next
parameter.

Every pattern runs in linear time. No pattern nests quantifiers over overlapping classes; a
repetition is bounded when anything after it can fail, unless it is a single character class
the pattern can only enter at the start of its run: token patterns check the character before
their literal prefix (after the prefix, which keeps ``re``'s fast literal search), so a start
inside a longer run fails in constant time and each run is scanned from its start only. PEM
keys are paired with their END line by ``str.find``, each END searched for once, so many
unterminated headers stay linear. Before any pattern runs, substring checks on the lower-cased
text select the detectors that could match at all; most ordinary text needs few or none.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import numbers
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

__all__ = ["KINDS", "REDACTED", "SanitizeResult", "sanitize_object", "sanitize_payload"]

REDACTED = "[REDACTED]"

T = TypeVar("T")


@dataclass(frozen=True)
class SanitizeResult(Generic[T]):
    """The sanitized value and the kinds of secret removed from it (never the secrets)."""

    sanitized: T
    secrets_found: tuple[str, ...] = ()


def sanitize_payload(text: str) -> SanitizeResult[str]:
    """Replace every secret in ``text`` by ``[REDACTED]``; report the kinds found."""
    if not isinstance(text, str):
        raise TypeError(f"sanitize_payload expects str, not {type(text).__name__}")
    found: list[str] = []
    return SanitizeResult(_sanitize(text, found), tuple(found))


def sanitize_object(obj: T) -> SanitizeResult[T]:
    """Sanitize every string inside dicts, lists and tuples, dict keys included.

    A string value under a key that names a secret (``password``, ``db_passwd``, ``secret``,
    ``client_secret``, ``token``, ``github_token``, ``api_key``, ``OPENAI_API_KEY``,
    ``access_key`` ...) is redacted whole, as ``password=...`` would be in text.

    Returns a new object of the same shape; the input is not modified. Numbers, booleans,
    None, dates, times, timedeltas and UUIDs come back unchanged (they cannot hold free text).
    dict, list and tuple subclasses come back as the plain type, except namedtuples, which
    keep their class. If two keys sanitize to the same string, the later one wins. Any other
    type (bytes, sets, arbitrary objects) raises TypeError rather than slipping through
    unseen: convert it to one of the types above first.
    """
    found: list[str] = []
    return SanitizeResult(_walk(obj, found), tuple(found))


_OPAQUE = (numbers.Number, datetime.date, datetime.time, datetime.timedelta, uuid.UUID)


def _walk(obj: Any, found: list[str]) -> Any:
    if isinstance(obj, str):
        return _sanitize(obj, found)
    if obj is None or isinstance(obj, _OPAQUE):  # bool is a Number
        return obj
    if isinstance(obj, dict):
        return {_walk(key, found): _walk_value(key, value, found) for key, value in obj.items()}
    if isinstance(obj, list):
        return [_walk(item, found) for item in obj]
    if isinstance(obj, tuple):
        items = [_walk(item, found) for item in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else tuple(items)
    raise TypeError(
        f"sanitize_object cannot look inside {type(obj).__name__}; "
        "convert it to str, dict, list or tuple first"
    )


# A dict key that names a secret: {"password": "..."} and {"OPENAI_API_KEY": "..."} are the
# structured form of `password=...`, where the value alone carries no hint of what it is.
_SECRET_KEY = re.compile(
    r"(?:(?P<password>passw(?:or)?d)|secret(?:[_-]?key)?|token|api[_-]?key|access[_-]?key)\Z",
    re.IGNORECASE,
)


def _walk_value(key: Any, value: Any, found: list[str]) -> Any:
    if isinstance(key, str) and isinstance(value, str) and not _is_placeholder(value):
        named = _SECRET_KEY.search(key)
        if named is not None:
            kind = "password_assignment" if named.group("password") else "secret_assignment"
            if kind not in found:
                found.append(kind)
            return REDACTED
    return _walk(value, found)


def _sanitize(text: str, found: list[str]) -> str:
    # No detector matches in or across a "[REDACTED]", so the cheap checks made once on the
    # original text stay valid (if pessimistic) after each redaction.
    lowered = text.lower()
    characters = {character for character in _REQUIRED_CHARACTERS if character in text}
    for requires, triggers, detector in _PLAN:
        if requires and characters.isdisjoint(requires):
            continue
        for trigger in triggers:
            if trigger in lowered:
                break
        else:
            continue
        redacted = detector.redact(text, lowered, found)
        if redacted is not text:
            text, lowered = redacted, redacted.lower()
    return text


# ---------------------------------------------------------------------------------------------
# Validators: a pattern finds a candidate, these decide whether it is a secret. A pattern's
# secret is its last named group, or its whole match when it has none.

_Validator = Callable[[str, "re.Match[str]"], bool]


def _secret_text(text: str, match: re.Match[str]) -> str:
    # Patterns may run on the lower-cased copy; values are always read from the original.
    start, end = match.span(match.lastgroup or 0)
    return text[start:end]


_PLACEHOLDER = re.compile(
    r"""\[REDACTED\]
      | \$\{[^}]*\}? | \$[A-Za-z_]\w* | \$\(.*         # ${VAR}, $VAR, $(command)
      | <[^>]*>? | \{\{.* | \{[A-Za-z_]\w*\}         # <your-token>, {{ secrets.X }}, {name}
      | %\([A-Za-z_]\w*\)s                           # %(password)s
      | ![A-Za-z][\w:.-]*                            # YAML tags: !vault, !Ref, !Sub
      | [*xX.\#_-]+                                  # ***, xxxxxxxx
      | [A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+                # YOUR_API_KEY, OPENAI_API_KEY
      | (?i:none|null|nil|true|false|undefined)
    """,
    re.VERBOSE,
)
_CODE_ROOTS = frozenset(
    "self this cls os process env environ settings config cfg conf ctx context request req "
    "args kwargs options opts params props secrets vars credentials creds app".split()
)
_CODE_REFERENCE = re.compile(r"([A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)+")
_SNAKE_IDENTIFIER = re.compile(r"[a-z_][a-z_.]*")
_DIGIT = re.compile(r"[0-9]")
_DIGIT_OR_SYMBOL = re.compile(r"[0-9!@#$%^&*+=/~|?]")


def _is_placeholder(value: str) -> bool:
    """True for values that stand in for a secret instead of being one."""
    return not value or _PLACEHOLDER.fullmatch(value) is not None


def _looks_like_code(value: str, keyword: str, next_char: str) -> bool:
    """True when an unquoted value is an expression that fetches the secret, not the secret."""
    if next_char in ("(", "[", "{"):  # getpass(), os.environ["TOKEN"], ${PASSWORD:-}
        return True
    reference = _CODE_REFERENCE.fullmatch(value)
    if reference is not None and reference.group(1) in _CODE_ROOTS:
        return True  # settings.API_KEY, process.env.TOKEN
    # password=password, token=access_token, api_key=self.api_key: a variable named after it.
    return (
        keyword in value
        and (value == keyword or "_" in value or "." in value)
        and _SNAKE_IDENTIFIER.fullmatch(value) is not None
    )


def _looks_secret(value: str) -> bool:
    """The bar for an unquoted ``key: value``, the form ordinary prose uses as well."""
    core = value.rstrip(".,!?:)")  # a sentence may end right after the value
    return len(core) >= 20 or (len(core) >= 6 and _DIGIT_OR_SYMBOL.search(core) is not None)


def _mixed_alphanumeric(text: str, match: re.Match[str]) -> bool:
    # Random keys mix cases and digits; slugs such as sk-learn-estimators-v2 do not.
    body = text[match.start() + 3 : match.end()]
    return body.lower() != body != body.upper() and _DIGIT.search(body) is not None


def _has_digit(text: str, match: re.Match[str]) -> bool:
    return _DIGIT.search(text, *match.span()) is not None


def _after_authorization(text: str, start: int) -> bool:
    return "authorization" in text[max(0, start - 40) : start].lower()


def _authorization(shape: Callable[[str], bool]) -> _Validator:
    """Bearer/Basic values: any but a placeholder after an Authorization header, else ``shape``."""

    def accept(text: str, match: re.Match[str]) -> bool:
        value = _secret_text(text, match)  # 8 characters at least
        if _is_placeholder(value):
            return False
        return _after_authorization(text, match.start()) or shape(value)

    return accept


def _token_shaped(value: str) -> bool:
    # "Bearer tokens expire" is prose: a token without its header needs a token's shape.
    return len(value) >= 16 and _DIGIT.search(value) is not None and not value.isdigit()


def _basic_credential(value: str) -> bool:
    # "Basic usage" is prose; a Basic credential is base64 of "user:password".
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return ":" in decoded and decoded.isprintable()


def _url_password(text: str, match: re.Match[str]) -> bool:
    return not _is_placeholder(_secret_text(text, match))


def _assignment_value(text: str, match: re.Match[str]) -> bool:
    value = _secret_text(text, match)
    if match.lastgroup != "bval":
        return not _is_placeholder(value)  # a quoted value after a secret's key is the secret
    if match.group("sep") == ":" and match.group("kq") is None and not _looks_secret(value):
        return False
    keyword = match.group("key").lower()
    if value.isdigit():
        return keyword.startswith("pass")  # token/secret/key counts and limits are not secrets
    if "://" in value or value.startswith(("/", "./", "../", "~/")):
        return False  # a URL (credentials have their own detector) or a file path
    next_char = text[match.end() : match.end() + 1]
    return not (_is_placeholder(value) or _looks_like_code(value, keyword, next_char))


# ---------------------------------------------------------------------------------------------
# Detectors, most specific first.


@dataclass(frozen=True)
class _Detector:
    kind: str
    # Lower-case substrings, at least one of which is in any text the pattern can match, and
    # characters (case-sensitive) of which one is; a character is found by memchr, many times
    # faster than a substring, so it is checked first.
    triggers: tuple[str, ...]
    requires: str
    pattern: re.Pattern[str]
    accept: _Validator | None = None
    # Patterns written in lower case run on text.lower(), which keeps re's fast literal search
    # (IGNORECASE loses it); ``fallback`` (IGNORECASE) serves text whose lower() changes length.
    fallback: re.Pattern[str] | None = None

    def redact(self, text: str, lowered: str, found: list[str]) -> str:
        pieces: list[str] = []
        position = 0
        for start, end in self.spans(text, lowered):
            pieces += (text[position:start], REDACTED)
            position = end
        if not pieces:
            return text
        if self.kind not in found:
            found.append(self.kind)
        pieces.append(text[position:])
        return "".join(pieces)

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        """The (start, end) of each secret in ``text``, in order, not overlapping."""
        pattern, haystack = self.pattern, text
        if self.fallback is not None:
            if len(lowered) == len(text):
                haystack = lowered
            else:
                pattern = self.fallback
        for match in pattern.finditer(haystack):
            if self.accept is None or self.accept(text, match):
                yield match.span(match.lastgroup or 0)


class _PrivateKeyDetector(_Detector):
    """PEM private keys, whole; an unterminated one loses its header and base64 lines."""

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        position = 0
        # END marker -> where it next occurs (-1: nowhere further); each searched for once
        next_end: dict[str, int] = {}
        begin = self.pattern.search(text)
        while begin is not None:
            marker = f"-----END {begin.group(1)}-----"
            end = next_end.get(marker)
            if end is None or -1 < end < begin.end():
                end = next_end[marker] = text.find(marker, begin.end())
            following = self.pattern.search(text, begin.end())
            if (
                end != -1
                and end - begin.end() <= _PEM_MAX_BODY
                and (following is None or end < following.start())
            ):
                stop = end + len(marker)
            else:
                stop = _PEM_BODY.match(text, begin.end()).end()
                if _PEM_BASE64_LINE.search(text, begin.end(), stop) is None:
                    stop = -1  # a bare header is talk about keys, not a key
            if stop != -1:
                yield begin.start(), stop
                position = stop
            while following is not None and following.start() < position:
                following = self.pattern.search(text, position)
            begin = following


def _detector(
    kind: str,
    triggers: tuple[str, ...],
    pattern: str,
    accept: _Validator | None = None,
    lowered: bool = False,
    requires: str = "",
) -> _Detector:
    compiled = re.compile(pattern, re.VERBOSE)
    fallback = re.compile(pattern, re.VERBOSE | re.IGNORECASE) if lowered else None
    return _Detector(kind, triggers, requires, compiled, accept, fallback)


_PEM_MAX_BODY = 64 * 1024  # far beyond a 16384-bit RSA key; an END further away is not its END
_PEM_BEGIN = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
)
# After an unterminated header: lines (real or escaped newlines, or spaces when the paste lost
# its line breaks) that are whole base64 words of 16+ characters, a padded final line, or the
# Proc-Type / DEK-Info headers of legacy encrypted keys.
_PEM_BODY = re.compile(
    r"""(?:
        (?:\r?\n|\\r?\\n|[ \t]){1,32}
        (?:[A-Za-z0-9+/]{16,}={0,2}
          |[A-Za-z0-9+/]{0,15}={1,2}
          |(?:Proc-Type|DEK-Info|Comment):[^\r\n\\]{0,256})
        (?![A-Za-z0-9+/=])
    )*""",
    re.VERBOSE,
)
_PEM_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]{16}")

# The tail shared by every `key=value` form: an optional closing quote of a quoted key, `=`,
# `=>` or `:`, then a double-quoted, single-quoted or bare value. A bare value ends at an `&`
# only where a query string's next parameter starts. Nothing after a value can fail (the
# quoted branches do not require their closing quote), so a value never backtracks.
_ASSIGNMENT_TAIL = r"""
    (?P<kq>["'])?
    [ \t]{0,16}
    (?P<sep>=>|=(?!=)|:(?![:/]))
    [ \t]{0,16}
    (?:
        "(?P<dval>[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*)"?
      | '(?P<sval>[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*)'?
      | (?P<bval>[^\s"'`,;&\\<>(){}\[\]]+(?:&(?![A-Za-z_][\w.-]{0,64}=)[^\s"'`,;&\\<>(){}\[\]]*)*)
    )
"""


def _assignment(kind: str, triggers: tuple[str, ...], key: str) -> _Detector:
    # One detector per literal key prefix: a single alternation of keys would make re try the
    # pattern at most letters of ordinary prose.
    pattern = f"(?P<key>{key}){_ASSIGNMENT_TAIL}"
    return _detector(kind, triggers, pattern, _assignment_value, lowered=True, requires="=:")


_DETECTORS: tuple[_Detector, ...] = (
    _PrivateKeyDetector("private_key", ("-----begin",), "-", _PEM_BEGIN),
    # After each literal prefix, a lookbehind rejects a prefix inside a longer word in
    # constant time without giving up re's fast literal search.
    _detector(
        "aws_access_key_id",
        ("akia", "asia"),
        r"A(?<![A-Za-z0-9]A)(?:KIA|SIA)[A-Z0-9]{16}(?![A-Za-z0-9])",
        requires="A",
    ),
    _detector(
        "aws_secret_access_key",
        ("secret",),
        r"""secret
            (?:[_-]?access[_-]?key|(?:(?<=awssecret)|(?<=aws_secret)|(?<=aws-secret))[_-]?key)
            ["']?[ \t]{0,16}(?:=>|=|:)[ \t]{0,16}["']?
            (?P<secret>[a-z0-9/+]{40})(?![a-z0-9/+=])""",
        lowered=True,
        requires="=:",
    ),
    _detector(
        "github_token",
        ("gh", "github_pat_"),
        r"g(?<![A-Za-z0-9_]g)(?:h[pousr]_[A-Za-z0-9]{36,}|ithub_pat_[A-Za-z0-9_]{22,})",
        requires="_",
    ),
    _detector(
        "anthropic_api_key",
        ("sk-",),
        r"sk-ant-(?<![A-Za-z0-9_-]sk-ant-)[A-Za-z0-9_-]{20,}",
        requires="-",
    ),
    _detector(
        "openai_api_key",
        ("sk-",),
        r"sk-(?<![A-Za-z0-9_-]sk-)[A-Za-z0-9_-]{20,}",
        _mixed_alphanumeric,
        requires="-",
    ),
    _detector(
        "slack_webhook",
        ("hooks.slack.com/",),
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[a-z0-9_/+-]{8,})",
        lowered=True,
        requires="/",
    ),
    _detector(
        "slack_token",
        ("xox",),
        r"xox(?<![A-Za-z0-9_-]xox)[abeprs]-[A-Za-z0-9-]{10,}",
        _has_digit,
        requires="-",
    ),
    _detector(
        "stripe_key",
        ("k_live_", "k_test_"),
        r"[sr]k_(?<![A-Za-z0-9_][sr]k_)(?:live|test)_[A-Za-z0-9]{10,}",
        requires="_",
    ),
    _detector(
        "google_api_key",
        ("aiza",),
        r"AIza(?<![A-Za-z0-9_-]AIza)[A-Za-z0-9_-]{35,}",
        requires="A",
    ),
    _detector(
        "jwt",
        ("eyj",),
        r"eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
        requires="J",
    ),
    _detector(
        "bearer_token",
        ("bearer",),
        r"bearer(?<![a-z0-9_-]bearer)[ \t]{1,8}(?P<secret>[a-z0-9._~+/=-]{8,})",
        _authorization(_token_shaped),
        lowered=True,
    ),
    _detector(
        "basic_auth",
        ("basic",),
        r"basic(?<![a-z0-9_-]basic)[ \t]{1,8}(?P<secret>[a-z0-9+/=]{8,})",
        _authorization(_basic_credential),
        lowered=True,
    ),
    # scheme://user:password@host for any scheme (postgres, mysql, mongodb+srv, redis, amqp,
    # http, ...). The password may contain ':' and '@': the last '@' before the host ends it.
    _detector(
        "url_credentials",
        ("://",),
        r"""://[^\s:/?#"'<>\[\]\\]{0,256}:(?P<secret>[^\s/?#"'<>\\]{1,512})@""",
        _url_password,
    ),
    _assignment("password_assignment", ("passw",), r"passw(?:or)?d"),
    _assignment("secret_assignment", ("secret",), r"secret(?:[_-]?key)?"),
    _assignment("secret_assignment", ("token",), r"token"),
    _assignment(
        "secret_assignment",
        ("key",),
        r"key(?:(?<=apikey)|(?<=api_key)|(?<=api-key)|(?<=accesskey)|(?<=access_key)"
        r"|(?<=access-key))",
    ),
)

_REQUIRED_CHARACTERS = "".join(sorted({c for detector in _DETECTORS for c in detector.requires}))
_PLAN = tuple((detector.requires, detector.triggers, detector) for detector in _DETECTORS)
KINDS: tuple[str, ...] = tuple(dict.fromkeys(detector.kind for detector in _DETECTORS))
"""Every kind ``secrets_found`` may report, in detection order."""

"""sanitize_payload / sanitize_object: what is redacted, what is left alone, how fast.

Pure unit tests: no database. Every secret below is fake, built to the real format.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import time
import uuid
from collections import OrderedDict, namedtuple

import pytest

from everyskill_db.sanitize import (
    KINDS,
    REDACTED,
    SanitizeResult,
    sanitize_object,
    sanitize_payload,
)

R = REDACTED
B64_LINE = "MIIEpAIBAAKCAQEA7xYz0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZabcd"
B64_LAST = "Xk9fQ2mZ7pL4wR8tYuV3=="
GH_BODY = "R2d2C3po" * 4 + "Bb8X"  # 36 characters, as GitHub issues them
GITHUB_PAT = "github_pat_11ABCDEFG0Kx9fQ2mZ7pL4wR_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9"
ANTHROPIC = "sk-ant-api03-" + "Zq8Xw2Lk5Jh7Gf9Ds1Aa" * 4 + "-AbCdEfAA"
OPENAI_PROJECT = "sk-proj-" + "q9W8e7R6t5Y4u3I2o1P0" * 3 + "T3BlbkFJ"
OPENAI_LEGACY = "sk-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4Cd5Ef6"
OPENAI_SERVICE = "sk-svcacct-" + "Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef"
SLACK_TAIL = "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_HOOK = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX"
STRIPE_BODY = "51H8xYzAbCdEfGhIjKlMnOpQr"
GOOGLE = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
BASIC = "dXNlcjpodW50ZXIyeCE="  # base64 of "user:hunter2x!"


def pem(label: str, *, end: bool = True, headers: str = "") -> str:
    block = f"-----BEGIN {label}-----\n{headers}{B64_LINE}\n{B64_LINE}\n{B64_LAST}"
    return block + (f"\n-----END {label}-----" if end else "")


# (text, sanitized, kinds): the exact output, so surrounding text is proven kept as well.
POSITIVES = [
    # PEM private keys
    (f"my key:\n{pem('RSA PRIVATE KEY')}\nthanks", f"my key:\n{R}\nthanks", ("private_key",)),
    (pem("EC PRIVATE KEY"), R, ("private_key",)),
    (pem("DSA PRIVATE KEY"), R, ("private_key",)),
    (f"id_ed25519: {pem('OPENSSH PRIVATE KEY')} end", f"id_ed25519: {R} end", ("private_key",)),
    (pem("PRIVATE KEY"), R, ("private_key",)),
    (pem("ENCRYPTED PRIVATE KEY"), R, ("private_key",)),
    (pem("PGP PRIVATE KEY BLOCK"), R, ("private_key",)),
    (
        pem("RSA PRIVATE KEY", headers="Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\n"),
        R,
        ("private_key",),
    ),
    (  # as found in JSON service-account files: escaped newlines
        '{"private_key": "' + pem("PRIVATE KEY").replace("\n", "\\n") + '\\n", "id": 7}',
        '{"private_key": "' + R + '\\n", "id": 7}',
        ("private_key",),
    ),
    (  # cut off before its END line: the base64 lines go, the prose after them stays
        f"{pem('RSA PRIVATE KEY', end=False)}\nsorry, the paste was truncated",
        f"{R}\nsorry, the paste was truncated",
        ("private_key",),
    ),
    (
        f"{pem('EC PRIVATE KEY')}\nand\n{pem('OPENSSH PRIVATE KEY')}",
        f"{R}\nand\n{R}",
        ("private_key",),
    ),
    # AWS
    ("AKIAIOSFODNN7EXAMPLE", R, ("aws_access_key_id",)),
    (
        "temporary id ASIAY34FZKBOKMUTVV7A, expires",
        f"temporary id {R}, expires",
        ("aws_access_key_id",),
    ),
    (
        f"aws_secret_access_key = {AWS_SECRET}",
        f"aws_secret_access_key = {R}",
        ("aws_secret_access_key",),
    ),
    (f'"SecretAccessKey": "{AWS_SECRET}"', f'"SecretAccessKey": "{R}"', ("aws_secret_access_key",)),
    (
        f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        f"export AWS_SECRET_ACCESS_KEY={R}\nexport AWS_ACCESS_KEY_ID={R}",
        ("aws_access_key_id", "aws_secret_access_key"),
    ),
    # GitHub
    (f"ghp_{GH_BODY}", R, ("github_token",)),
    (f"token gho_{GH_BODY} expired", f"token {R} expired", ("github_token",)),
    (f"GH_TOKEN=ghu_{GH_BODY}", f"GH_TOKEN={R}", ("github_token",)),
    (f"ghs_{GH_BODY} from the app", f"{R} from the app", ("github_token",)),
    (f"refresh: ghr_{GH_BODY}", f"refresh: {R}", ("github_token",)),
    (f"use {GITHUB_PAT} for the clone", f"use {R} for the clone", ("github_token",)),
    # Anthropic, OpenAI
    (f"ANTHROPIC_API_KEY={ANTHROPIC}", f"ANTHROPIC_API_KEY={R}", ("anthropic_api_key",)),
    (
        f"client = Anthropic(api_key='{ANTHROPIC}')",
        f"client = Anthropic(api_key='{R}')",
        ("anthropic_api_key",),
    ),
    (f"OPENAI_API_KEY={OPENAI_PROJECT}", f"OPENAI_API_KEY={R}", ("openai_api_key",)),
    (f"old key {OPENAI_LEGACY} still works", f"old key {R} still works", ("openai_api_key",)),
    (OPENAI_SERVICE, R, ("openai_api_key",)),
    # Slack
    (f"xoxb-{SLACK_TAIL}", R, ("slack_token",)),
    (f"user token xoxp-{SLACK_TAIL}.", f"user token {R}.", ("slack_token",)),
    (f"xoxa-{SLACK_TAIL}", R, ("slack_token",)),
    (f"xoxr-{SLACK_TAIL}", R, ("slack_token",)),
    (f"SLACK=xoxs-{SLACK_TAIL}", f"SLACK={R}", ("slack_token",)),
    (
        f"posted to {SLACK_HOOK} ok",
        f"posted to https://hooks.slack.com/services/{R} ok",
        ("slack_webhook",),
    ),
    # Stripe
    (f"sk_live_{STRIPE_BODY}", R, ("stripe_key",)),
    (f"stripe.api_key = 'sk_test_{STRIPE_BODY}'", f"stripe.api_key = '{R}'", ("stripe_key",)),
    (f"restricted rk_live_{STRIPE_BODY}", f"restricted {R}", ("stripe_key",)),
    (f"rk_test_{STRIPE_BODY}", R, ("stripe_key",)),
    # Google
    (GOOGLE, R, ("google_api_key",)),
    (
        f"https://maps.googleapis.com/maps/api/js?key={GOOGLE}",
        "https://maps.googleapis.com/maps/api/js?key=" + R,
        ("google_api_key",),
    ),
    # JWT
    (JWT, R, ("jwt",)),
    (
        f"https://app.example.com/cb?id_token={JWT}&state=1",
        f"https://app.example.com/cb?id_token={R}&state=1",
        ("jwt",),
    ),
    ("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", f"unsigned {R}", ("jwt",)),
    # Authorization values
    ("Authorization: Bearer 8f4b2c1d9e7a6b5c", f"Authorization: {'Bearer'} {R}", ("bearer_token",)),
    (f"authorization: bearer {JWT}", f"authorization: bearer {R}", ("jwt",)),
    (
        "curl -H 'Authorization: Bearer ya29.a0AfH6SMBx-12ab'",
        f"curl -H 'Authorization: Bearer {R}'",
        ("bearer_token",),
    ),
    ("sent bearer 7c2d9e1f3a5b8c0d4e6f with it", f"sent bearer {R} with it", ("bearer_token",)),
    (f"Authorization: Basic {BASIC}", f"Authorization: Basic {R}", ("basic_auth",)),
    (f"proxy sent Basic {BASIC} upstream", f"proxy sent Basic {R} upstream", ("basic_auth",)),
    # URLs with credentials: scheme, user and host stay
    (
        "postgres://app:s3cr3t@db.internal/prod",
        f"postgres://app:{R}@db.internal/prod",
        ("url_credentials",),
    ),
    (
        "postgresql://app:pw@10.0.0.5:5432/db?sslmode=require",
        f"postgresql://app:{R}@10.0.0.5:5432/db?sslmode=require",
        ("url_credentials",),
    ),
    ("mysql://root:toor@localhost/shop", f"mysql://root:{R}@localhost/shop", ("url_credentials",)),
    ("mongodb://admin:p4ss@mongo:27017", f"mongodb://admin:{R}@mongo:27017", ("url_credentials",)),
    (
        "mongodb+srv://svc:p@ss:w0rd@cluster0.x.mongodb.net/db",
        f"mongodb+srv://svc:{R}@cluster0.x.mongodb.net/db",
        ("url_credentials",),
    ),
    ("redis://:hunter2@cache:6379/0", f"redis://:{R}@cache:6379/0", ("url_credentials",)),
    (
        "rediss://default:Tls-Pa55@redis.example.com:6380",
        f"rediss://default:{R}@redis.example.com:6380",
        ("url_credentials",),
    ),
    (
        "amqp://guest:guest123@rabbit:5672/vhost",
        f"amqp://guest:{R}@rabbit:5672/vhost",
        ("url_credentials",),
    ),
    ("http://admin:admin1@192.168.1.1/", f"http://admin:{R}@192.168.1.1/", ("url_credentials",)),
    (
        "clone https://me:tok3n@git.example.com/x.git",
        f"clone https://me:{R}@git.example.com/x.git",
        ("url_credentials",),
    ),
    # key=value, key: value, "key": "value", env files
    ("password=hunter2x!", f"password={R}", ("password_assignment",)),
    (
        "login failed with PASSWORD: hunter2x! again",
        f"login failed with PASSWORD: {R} again",
        ("password_assignment",),
    ),
    ("passwd=letmein", f"passwd={R}", ("password_assignment",)),
    (
        '{"user": "ana", "password": "correct horse"}',
        f'{{"user": "ana", "password": "{R}"}}',
        ("password_assignment",),
    ),
    (
        "DB_PASSWORD='s3cr3t'\nDB_HOST=db",
        f"DB_PASSWORD='{R}'\nDB_HOST=db",
        ("password_assignment",),
    ),
    (
        "database:\n  password: Tr0ub4dor&3\n  host: db",
        f"database:\n  password: {R}\n  host: db",
        ("password_assignment",),
    ),
    ("pin password=12345678", f"pin password={R}", ("password_assignment",)),
    ("PASSWORD=Tr0ub4dor&3 ./run.sh", f"PASSWORD={R} ./run.sh", ("password_assignment",)),
    ("secret=abc123def", f"secret={R}", ("secret_assignment",)),
    ("SECRET_KEY=django-insecure-0a9b8c", f"SECRET_KEY={R}", ("secret_assignment",)),
    ("client_secret: 'Xy7-abc.DEF_123'", f"client_secret: '{R}'", ("secret_assignment",)),
    ("token=f3a9c2e1b7d4", f"token={R}", ("secret_assignment",)),
    ("export GITLAB_TOKEN=glpat-AbC123dEf456", f"export GITLAB_TOKEN={R}", ("secret_assignment",)),
    ('api_key => "9f8e7d6c5b4a"', f'api_key => "{R}"', ("secret_assignment",)),
    ("apikey = 0f1e2d3c4b5a", f"apikey = {R}", ("secret_assignment",)),
    ("X-Api-Key: 9f8e7d6c5b4a3210", f"X-Api-Key: {R}", ("secret_assignment",)),
    ("access_key=Zz9Yy8Xx7Ww6", f"access_key={R}", ("secret_assignment",)),
    ("{'accessKey': 'AbC-123'}", f"{{'accessKey': '{R}'}}", ("secret_assignment",)),
    (
        "https://api.example.com/v1?user=ana&access_token=ya29A0b1C2&page=2",
        f"https://api.example.com/v1?user=ana&access_token={R}&page=2",
        ("secret_assignment",),
    ),
    (
        "jdbc:postgresql://db/x?user=app&password=s3cret&ssl=true",
        f"jdbc:postgresql://db/x?user=app&password={R}&ssl=true",
        ("password_assignment",),
    ),
    (r'"password": "a\"b c"', f'"password": "{R}"', ("password_assignment",)),
    # several kinds at once: detection order, no duplicates
    (
        f"password=hunter2x! token=abc123def ghp_{GH_BODY} postgres://u:pw@h/db password=again1",
        f"password={R} token={R} {R} postgres://u:{R}@h/db password={R}",
        ("github_token", "url_credentials", "password_assignment", "secret_assignment"),
    ),
    (  # the most specific kind wins; the assignment leaves the redaction alone
        f'"api_key": "{ANTHROPIC}"',
        f'"api_key": "{R}"',
        ("anthropic_api_key",),
    ),
    # a text whose lower() changes length takes the IGNORECASE path: same result
    (
        "İstanbul office: PASSWORD=hunter2x!",
        f"İstanbul office: PASSWORD={R}",
        ("password_assignment",),
    ),
]

# Ordinary text that must come back byte for byte.
NEGATIVES = [
    "",
    "reset your password in settings",
    "token usage doubled after the update",
    "The secret to good prompts is being specific.",
    "I rotated the GitHub token and the API key yesterday",
    "the bearer of bad news: latency went up",
    "Bearer tokens expire after an hour, refresh them",
    "Basic usage works, advanced usage does not",
    "see RFC 7617 for Basic authentication",
    "Password: reset it in settings",
    "password: 8 characters minimum",
    "Key: value",
    "Note: the key point is speed",
    "550e8400-e29b-41d4-a716-446655440000",
    "commit 3f2a9c1d8b7e6f5a4c3b2a1908f7e6d5c4b3a291 (3f2a9c1)",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "claude-3-5-sonnet-20241022 beat claude-3-opus-20240229 and gpt-4o-2024-08-06",
    "/home/dev/.config/secrets/token.txt and ~/.aws/credentials",
    r"C:\Users\me\secrets\api_key.txt",
    "see https://docs.anthropic.com/en/api/getting-started#authentication",
    "https://github.com/org/repo/blob/main/README.md?plain=1#L10",
    "postgres://localhost:5432/everyskill and http://user@example.com/path",
    "http://[::1]:8080/health and https://example.com:8443/x",
    "s3://bucket/key/path/file.json or file:///etc/ssl/private/key.pem",
    "input_tokens: 1200, output_tokens: 300, max_tokens=4096, token: 1200",
    "token_count=5000 tokenizer: cl100k_base secretName: db-credentials",
    "passwords: must be 12+ characters",
    "def login(password: str, token: Optional[str] = None) -> bool:",
    "if password == stored and token != '':",
    'password=getpass() token=os.environ["GH_TOKEN"] api_key=settings.api_key',
    "connect(password=password, token=access_token)",
    "apiKey: process.env.OPENAI_API_KEY,",
    "password: ${DB_PASSWORD} PASSWORD=${DB_PASSWORD:-} password={{ vault_password }}",
    'password: "<your password>" api_key: YOUR_API_KEY token=*** secret: null',
    "password: !vault | and password: !Ref DbPassword",
    "password: \"\" and password='' and password=None",
    "Authorization: Bearer <token> / Authorization: Bearer $TOKEN",
    "the file starts with -----BEGIN RSA PRIVATE KEY----- and ends with END",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n"
    "-----END PUBLIC KEY-----",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 dev@laptop",
    "task-scheduler-for-the-new-pipeline-2024 and sk-learn-compatible-estimators-v2",
    "xoxb is the prefix of Slack bot tokens, ghp_ of GitHub ones, AKIA of AWS ones",
    "eyJhbGciOiJIUzI1NiJ9 is only a JWT header",
    "mail dev@example.com at 10:30, ASIA region, the bearer header",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
    f"already clean: password={R} and postgres://app:{R}@db/prod",
]


@pytest.mark.parametrize(("text", "sanitized", "kinds"), POSITIVES)
def test_secret_is_redacted_and_its_kind_reported(text, sanitized, kinds):
    result = sanitize_payload(text)
    assert result == SanitizeResult(sanitized, kinds)


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_text_is_left_byte_identical(text):
    result = sanitize_payload(text)
    assert result.sanitized == text
    assert result.secrets_found == ()


def test_the_case_lists_are_as_large_as_promised_and_cover_every_kind():
    assert len(POSITIVES) >= 60
    assert len(NEGATIVES) >= 30
    reported = {kind for _, _, kinds in POSITIVES for kind in kinds}
    assert reported == set(KINDS)


@pytest.mark.parametrize(("text", "sanitized", "kinds"), POSITIVES)
def test_sanitizing_twice_changes_nothing_more(text, sanitized, kinds):
    assert sanitize_payload(sanitized) == SanitizeResult(sanitized, ())


def test_the_secret_value_is_never_reported():
    result = sanitize_payload("password=hunter2x! and AKIAIOSFODNN7EXAMPLE")
    assert "hunter2x!" not in repr(result)
    assert "AKIAIOSFODNN7EXAMPLE" not in repr(result)


def test_module_docstring_example_holds():
    result = sanitize_payload("retry with password=hunter2x! on postgres://app:s3cr3t@db/prod")
    assert result.sanitized == f"retry with password={R} on postgres://app:{R}@db/prod"
    assert result.secrets_found == ("url_credentials", "password_assignment")
    nested = sanitize_object({"env": ["DB_PASSWORD=s3cr3t"], "tries": 3})
    assert nested.sanitized == {"env": [f"DB_PASSWORD={R}"], "tries": 3}


def test_result_is_frozen():
    result = sanitize_payload("x")
    with pytest.raises(AttributeError):
        result.sanitized = "y"


@pytest.mark.parametrize("value", [None, b"password=hunter2x!", 42, ["password=x1y2z3"]])
def test_payload_must_be_str(value):
    with pytest.raises(TypeError):
        sanitize_payload(value)


# --------------------------------------------------------------------------- sanitize_object

Pair = namedtuple("Pair", "name value")


def test_object_walk_sanitizes_values_and_keys_and_keeps_the_shape():
    payload = {
        "comment": "password=hunter2x!",
        "token=abc123def": ["plain", ("AKIAIOSFODNN7EXAMPLE", 3, None), {"n": 1.5}],
        "flags": (True, False),
    }
    result = sanitize_object(payload)
    assert result.sanitized == {
        "comment": f"password={R}",
        f"token={R}": ["plain", (R, 3, None), {"n": 1.5}],
        "flags": (True, False),
    }
    assert result.secrets_found == ("password_assignment", "secret_assignment", "aws_access_key_id")


def test_object_walk_keeps_container_types():
    result = sanitize_object(
        [("password=hunter2x!",), ["x"], Pair("token=abc123def", 2), OrderedDict(a="b")]
    ).sanitized
    assert type(result) is list
    assert type(result[0]) is tuple
    assert result[0] == (f"password={R}",)
    assert type(result[1]) is list
    assert type(result[2]) is Pair
    assert result[2] == Pair(f"token={R}", 2)
    assert type(result[3]) is dict  # dict subclasses come back as dict, order kept
    assert result[3] == {"a": "b"}


def test_object_walk_passes_non_text_values_through_untouched():
    values = [
        0,
        -7,
        3.25,
        True,
        False,
        None,
        decimal.Decimal("1.10"),
        datetime.datetime(2026, 2, 15, 14, 31),
        datetime.date(2026, 2, 15),
        datetime.timedelta(seconds=3),
        uuid.UUID("550e8400-e29b-41d4-a716-446655440000"),
    ]
    result = sanitize_object({"values": values}).sanitized["values"]
    assert all(out is value for out, value in zip(result, values))
    assert result == values


def test_object_walk_does_not_mutate_its_input_and_returns_new_containers():
    payload = {"a": ["password=hunter2x!", {"b": ("token=abc123def",)}], "c": []}
    before = copy.deepcopy(payload)
    result = sanitize_object(payload)
    assert payload == before
    assert result.sanitized is not payload
    assert result.sanitized["a"] is not payload["a"]
    assert result.sanitized["c"] is not payload["c"]


def test_object_walk_reports_each_kind_once_in_order_of_first_detection():
    result = sanitize_object(["ghp_" + GH_BODY, "password=hunter2x!", {"k": "ghs_" + GH_BODY}])
    assert result.secrets_found == ("github_token", "password_assignment")


def test_object_walk_of_plain_values():
    assert sanitize_object("password=hunter2x!") == SanitizeResult(
        f"password={R}", ("password_assignment",)
    )
    assert sanitize_object(5) == SanitizeResult(5, ())
    assert sanitize_object(None) == SanitizeResult(None, ())
    assert sanitize_object({}) == SanitizeResult({}, ())


def test_keys_that_sanitize_alike_keep_the_later_value():
    result = sanitize_object({"password=one111": 1, "password=two222": 2})
    assert result.sanitized == {f"password={R}": 2}


@pytest.mark.parametrize(("key", "kind"), [
    ("password", "password_assignment"),
    ("db_passwd", "password_assignment"),
    ("Password", "password_assignment"),
    ("secret", "secret_assignment"),
    ("client_secret", "secret_assignment"),
    ("token", "secret_assignment"),
    ("github_token", "secret_assignment"),
    ("api_key", "secret_assignment"),
    ("OPENAI_API_KEY", "secret_assignment"),
    ("apikey", "secret_assignment"),
    ("aws_access_key", "secret_assignment"),
])
def test_value_under_a_secret_key_is_redacted_whole(key, kind):
    result = sanitize_object({"config": {key: "hunter2", "note": "fine"}})
    assert result.sanitized == {"config": {key: "[REDACTED]", "note": "fine"}}
    assert result.secrets_found == (kind,)


@pytest.mark.parametrize("data", [
    {"token_count": "12"},
    {"max_tokens": "4096"},
    {"password_hint": "your pet's name"},
    {"token": ""},
    {"password": None},
    {"api_key": 3},
])
def test_keys_that_only_mention_a_secret_keep_their_value(data):
    assert sanitize_object(data) == SanitizeResult(data, ())


@pytest.mark.parametrize("value", [b"password=hunter2x!", {"a", "b"}, object(), bytearray(b"x")])
def test_object_walk_refuses_what_it_cannot_look_inside(value):
    with pytest.raises(TypeError, match="cannot look inside"):
        sanitize_object({"nested": [value]})


# --------------------------------------------------------------------------- linear time

MB = 1 << 20


def _repeat(unit: str) -> str:
    return (unit * (MB // len(unit) + 1))[:MB]


ADVERSARIAL = {
    "unterminated PEM headers": _repeat("-----BEGIN RSA PRIVATE KEY-----\n"),
    "PEM headers, one body line each": _repeat("-----BEGIN PRIVATE KEY-----\n" + B64_LINE + "\n"),
    "PEM header then spaces": "-----BEGIN RSA PRIVATE KEY-----" + " " * MB,
    "long base64 run": _repeat(B64_LINE + "+/"),
    "base64url run with prefixes": _repeat("eyJsk-ghp_AKIAAIzaxoxb-sk_live_"),
    "password= without values": _repeat("password=\n"),
    "password= chained": _repeat("password= "),
    "unterminated quoted values": _repeat('"password": "'),
    "backslashes in a quoted value": 'password="' + "\\" * MB,
    "JWT fragments": _repeat("eyJabcdefghi."),
    "Bearer without tokens": _repeat("Bearer "),
    "Basic credentials": _repeat(f"Basic {BASIC} "),
    "scheme://user: without @": _repeat("postgres://user:"),
    "long URL password": "https://a:" + "b" * MB,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_megabyte_finishes_quickly(name):
    # A safety net against catastrophic backtracking (a quadratic pattern takes minutes here);
    # the precise figures come from bench/sanitize.py.
    text = ADVERSARIAL[name]
    start = time.perf_counter()
    result = sanitize_payload(text)
    assert time.perf_counter() - start < 5.0
    assert isinstance(result.sanitized, str)

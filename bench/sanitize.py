"""Throughput and worst case of everyskill_db.sanitize against naive baselines, in one run.

    python bench/sanitize.py

Prints the machine, then
1. MB/s over 10 MB of generated feedback text (comments, suggestions with code, bug reports
   with logs and paths, training examples; about 2% of the records carry a secret), sanitized
   record by record as the write path does it, and as one 10 MB string. Side by side: a naive
   sanitizer (one IGNORECASE alternation of simple patterns, re.sub) and a single plain
   re.sub(r"password=\\S+"), with ratios. The naive one is the usual first attempt, not a
   straw man: it finds roughly the same things, with none of the care about false positives.
2. Time per 1 MB adversarial input, each kind separately, and the worst of them. The naive
   sanitizer is quadratic on some of them (its lazy PEM body rescans from every unterminated
   header), so it runs once on a 16 KB and a 32 KB slice only, next to ours on the same
   slices: doubling the input quadruples a quadratic time and doubles a linear one.
Every figure of ours is the best of three runs (the machine may be shared).
"""

from __future__ import annotations

import os
import platform
import random
import re
import string
import sys
import time
from typing import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from everyskill_db.sanitize import sanitize_payload

MB = 1 << 20
REPEATS = 3

NAIVE = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_\w{36,}|github_pat_\w+|sk-[\w-]{20,}"
    r"|xox[abprs]-[\w-]+|[sr]k_(?:live|test)_\w+|AIza[\w-]{35}|eyJ[\w-]+\.[\w-]+\.[\w-]*"
    r"|(?:bearer|basic)\s+\S+|\w+://[^:\s/]+:[^@\s]+@"
    r"|(?:password|passwd|secret|token|api_?key|access_?key)[\"']?\s*[:=]\s*\S+",
    re.IGNORECASE,
)
SIMPLE = re.compile(r"password=\S+")


def naive_sanitize(text: str) -> str:
    return NAIVE.sub("[REDACTED]", text)


def simple_sanitize(text: str) -> str:
    return SIMPLE.sub("password=[REDACTED]", text)


def ours(text: str) -> str:
    return sanitize_payload(text).sanitized


# --------------------------------------------------------------------------------- corpus

# Feedback vocabulary: function words repeated so their share resembles English prose, and
# the words that wake the sanitizer's detectors (token, password, key, secret, bearer, basic)
# at the frequency feedback about AI skills plausibly has them, token the most common.
WORDS = (
    ("the " * 12 + "a " * 6 + "to " * 6 + "and " * 5 + "it " * 5 + "of " * 4 + "in " * 4)
    + ("is " * 4 + "was " * 3 + "for " * 3 + "with " * 3 + "but " * 2 + "this " * 3 + "I " * 4)
    + "skill output prompt answer summary refactor tests test file files function code review "
    "model response retry retries latency cost costs call calls usage tokens token token "
    "context window long short too very much faster slower better worse great good bad fine "
    "worked failed broke fixed missing wrong right language format json yaml markdown table "
    "please add remove option flag setting settings docs example examples step steps error "
    "errors warning timeout limit limits doubled halved week today yesterday again twice "
    "saved time helpful useless confusing clear unclear suggestion suggest expected actual "
    "instead when after before could should would maybe always never sometimes user users "
    "team repo branch commit diff patch migration schema query database table index run runs "
    "password key secret bearer basic api header environment variable config deploy "
    "production staging local machine laptop ci pipeline job agent agents tool tools step"
).split()
MODELS = ["claude-3-5-sonnet-20241022", "claude-3-haiku-20240307", "gpt-4o-mini", "o1-preview"]
CODE = [
    "def load(path):\n    with open(path) as fh:\n        return json.load(fh)\n",
    'client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n',
    "const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });\n",
    "for i, row in enumerate(rows):\n    if row.tokens > limit:\n        break\n",
    "SELECT skill_id, count(*) FROM skill_feedback GROUP BY skill_id;\n",
    "- if password == stored:\n+ if hmac.compare_digest(password, stored):\n",
]
SECRETS = [
    "password=hunter2x!",
    "DATABASE_URL=postgres://app:Sup3rS3cret@db.internal:5432/prod",
    "export OPENAI_API_KEY=sk-proj-AbCdEf1234567890GhIjKlMnOpQrStUvWx",
    "token: ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlc2lnbmF0dXJl",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7xYz0123456789abcdefABCDEF\n"
    "-----END RSA PRIVATE KEY-----",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "!", "?"])


def record(rng: random.Random) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(1, 6))]
    roll = rng.random()
    if roll < 0.25:
        parts.append(rng.choice(CODE))
    elif roll < 0.40:
        parts.append(
            f'Traceback: File "/home/dev/skills/{rng.randint(1, 99)}/run.py", line '
            f"{rng.randint(1, 400)}, model {rng.choice(MODELS)}, input_tokens: "
            f"{rng.randint(100, 9000)}, output_tokens: {rng.randint(10, 3000)}"
        )
    elif roll < 0.50:
        parts.append(f"See https://docs.example.com/skills/{rng.randint(1, 999)}#usage")
    elif roll < 0.55:
        parts.append(f"run {rng.getrandbits(128):032x} at commit {rng.getrandbits(160):040x}")
    if rng.random() < 0.02:
        parts.append(rng.choice(SECRETS))
    return " ".join(parts)


def corpus(size: int) -> list[str]:
    rng = random.Random(55)
    records, total = [], 0
    while total < size:
        records.append(record(rng))
        total += len(records[-1])
    return records


# --------------------------------------------------------------------------------- adversarial


def repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def adversarial(size: int) -> dict[str, str]:
    rng = random.Random(6)
    base64ish = string.ascii_letters + string.digits + "+/"
    return {
        "unterminated PEM headers": repeat("-----BEGIN RSA PRIVATE KEY-----\n", size),
        "PEM headers + one body line": repeat(
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n", size
        ),
        "long base64 run": "".join(rng.choice(base64ish) for _ in range(size)),
        "password= without values": repeat("password=\n", size),
        "password= chained": repeat("password= ", size),
        '"password": " unterminated': repeat('"password": "', size),
        "eyJ. fragments": repeat("eyJabcdefghi.", size),
        "Bearer without tokens": repeat("Bearer ", size),
        "Basic credentials": repeat("Basic dXNlcjpwYXNz ", size),
        "scheme://user: without @": repeat("postgres://user:", size),
        "sk- / ghp_ / AKIA prefixes": repeat("sk-ghp_AKIAxoxb-", size),
    }


# --------------------------------------------------------------------------------- timing


def best_of(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_record(sanitize: Callable[[str], str], records: list[str]) -> Callable[[], None]:
    def run() -> None:
        for text in records:
            sanitize(text)

    return run


def main() -> None:
    print(f"machine: {platform.platform()}, {platform.machine()}, cpu_count={os.cpu_count()}")
    print(f"python:  {platform.python_implementation()} {platform.python_version()}")
    print(f"best of {REPEATS} runs per figure, except the naive sanitizer on adversarial input\n")

    records = corpus(10 * MB)
    blob = "\n".join(records)
    mb = len(blob) / MB
    redacted = sum(1 for text in records if sanitize_payload(text).secrets_found)
    print(
        f"1. realistic feedback: {len(records)} records, {mb:.1f} MB, "
        f"{redacted} records with a secret"
    )
    print(f"   {'sanitizer':34s} {'per record MB/s':>16s} {'one string MB/s':>16s}")
    rows = [
        ("everyskill_db.sanitize", ours),
        ("naive single alternation", naive_sanitize),
        ("plain re.sub(password=\\S+)", simple_sanitize),
    ]
    speeds = {}
    for name, fn in rows:
        records_s = best_of(per_record(fn, records))
        blob_s = best_of(lambda fn=fn: fn(blob))
        speeds[name] = (mb / records_s, mb / blob_s)
        print(f"   {name:34s} {mb / records_s:16.1f} {mb / blob_s:16.1f}")
    ours_rec, ours_blob = speeds["everyskill_db.sanitize"]
    for name, (rec, one) in list(speeds.items())[1:]:
        print(f"   ours / {name:27s} {ours_rec / rec:16.2f}x {ours_blob / one:15.2f}x")

    print("\n2. adversarial inputs, milliseconds: ours on 1 MB; ours and naive on 16 and 32 KB")
    print(
        f"   {'input':30s} {'ours 1MB':>9s} {'ours 16K':>9s} {'naive 16K':>10s} "
        f"{'ours 32K':>9s} {'naive 32K':>10s} {'naive/ours 32K':>15s}"
    )
    worst_name, worst = "", 0.0
    big, k16, k32 = adversarial(MB), adversarial(16 * 1024), adversarial(32 * 1024)
    for name, text in big.items():
        ours_1m = best_of(lambda text=text: ours(text))
        if ours_1m > worst:
            worst_name, worst = name, ours_1m
        o16 = best_of(lambda t=k16[name]: ours(t))
        n16 = once(lambda t=k16[name]: naive_sanitize(t))
        o32 = best_of(lambda t=k32[name]: ours(t))
        n32 = once(lambda t=k32[name]: naive_sanitize(t))
        print(
            f"   {name:30s} {ours_1m * 1e3:9.1f} {o16 * 1e3:9.2f} {n16 * 1e3:10.2f} "
            f"{o32 * 1e3:9.2f} {n32 * 1e3:10.2f} {n32 / o32:14.1f}x"
        )
    print(f"\n   worst case, ours on 1 MB: {worst * 1e3:.1f} ms ({worst_name})")


if __name__ == "__main__":
    main()

"""Round 10 (h-sfx13): texts for the *form* features (`_features.form_stats`), project-written.

- `gibberish_suffix`: a request followed (or surrounded) by a suffix of word fragments glued to
  punctuation, made at random from the pools below, the way optimised adversarial suffixes read.
  Added to the `adversarial-suffix` family (marked ``round: 10``), so leave-families-out validation
  holds them out with it; written for this project (not taken or derived from GCG, DSN or any
  published suffix: the fragments are cut from ordinary words at random).
- `form_document`: benign texts whose prose lines carry odd tokens for ordinary reasons: code with
  comments and docstrings that ask to create, write or describe things, markdown with links and
  inline code, bank notices with URLs, IBANs, references and attachments in base64, log lines,
  tables. **Not a training source**: trained on as a benign source (900 texts, weight 1 or 2) it
  raised the threshold of most held-out folds (macro 0.626 instead of 0.66x; benchmarks/injection.md,
  round 10b); it is the probe of unseen form-heavy documents the round reports FPR on.
"""

from __future__ import annotations

import base64
import random

from corpus_attacks import cap, pick

R = random.Random

# ordinary words the fragments are cut from (English, a few other languages, a few programming words)
_WORDS = ("similar opposite describe giving revert sentence please manual tutorial answer format "
          "interface schedule generate instead surely kindly notation without ordered style relative "
          "concept promotion package exactly compress string builder script inverse writing exact "
          "statement seeking prayer select tuple define marker posting prototype tonally neutral "
          "subsequent insert navigate became soldiers ensuite using roughly verb aggregate quantities "
          "relevant essentially heading paragraph sequence article letter version output reply begin "
          "whilst anyway therefore cause bracket latex markdown json table column header footer "
          "wiki dummy sample mode layout inline render token vector matrix lambda yield return print "
          "echo hier voici dann aber como pero dass avec donc ahora bitte gracias merci vielleicht "
          "ironically indeed certainly maybe simply firstly secondly twice thrice quick brown").split()
_GLUE = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_PAIRS = ["](", ")[", "({", "})", "[{", "}]", "\\(", "\\{", "--", "==", "=>", "->", "<-", "::", ";;", "**", "__",
          "~~", "^^", "@@", "$$", "%%", "!!", "??", "\"\\", "'{", "}'", "`(", ")`", "|:", ":|", "/*", "*/", "<%",
          "%>", "{@", "@}", ".](", "}}]", "[[", "]]", "{{", "}}", "(:", ":)", "$(", "#[", "]#"]


def _frag(rng: R) -> str:
    w = pick(rng, _WORDS)
    r = rng.random()
    if r < 0.3:
        return w
    if r < 0.55:
        return w[: rng.randint(2, max(2, len(w) - 1))]
    if r < 0.75:
        return w[rng.randint(1, max(1, len(w) - 2)):]
    if r < 0.9:
        return w + pick(rng, _WORDS)  # two words glued
    return w[: rng.randint(2, 4)] + pick(rng, _WORDS)[-rng.randint(2, 4):]


def _case(rng: R, w: str) -> str:
    r = rng.random()
    if r < 0.6:
        return w
    if r < 0.75:
        return w.upper()
    if r < 0.9:
        return w.capitalize()
    k = rng.randint(1, max(1, len(w) - 1))
    return w[:k] + w[k:].capitalize()


def _punct(rng: R) -> str:
    if rng.random() < 0.5:
        return pick(rng, _PAIRS)
    return "".join(rng.choice(_GLUE) for _ in range(rng.randint(1, 3)))


def _soup_token(rng: R) -> str:
    r = rng.random()
    if r < 0.35:  # a plain word between the glued ones
        return _case(rng, pick(rng, _WORDS))
    if r < 0.45:  # or a fragment
        return _case(rng, _frag(rng))
    if r < 0.55:
        return _punct(rng)
    parts = []
    if rng.random() < 0.4:
        parts.append(_punct(rng))
    parts.append(_case(rng, _frag(rng)))
    parts.append(_punct(rng))
    if rng.random() < 0.35:
        parts.append(_case(rng, _frag(rng)))
        if rng.random() < 0.4:
            parts.append(_punct(rng))
    return "".join(parts)


def soup(rng: R, lo: int = 8, hi: int = 24) -> str:
    return " ".join(_soup_token(rng) for _ in range(rng.randint(lo, hi)))


def gibberish_suffix(rng: R, p: str) -> str:
    """A request with a gibberish suffix (sometimes a prefix too, or the request's end glued)."""
    s = soup(rng)
    r = rng.random()
    if r < 0.6:
        return f"{cap(p)} {s}"
    if r < 0.75:
        return f"{cap(p)}{pick(rng, ['', '.', ' ', ','])}{s}"
    if r < 0.9:
        return f"{soup(rng, 3, 8)} {cap(p)} {s}"
    return f"{cap(p)}. {s} {pick(rng, ['Sure, here is', 'here is', 'Sure', 'Step 1'])}"


# ---------------------------------------------------------------------------------------------
# benign documents whose prose lines hold odd tokens

_HOSTS = ["docs.example.com", "bank.example.org", "portal.northbank.example", "status.acme.example", "intranet.corp.example",
          "github.com/acme/payments", "help.example.net"]
_PATHS = ["/accounts/settings?tab=security", "/statements/2024-05.pdf", "/api/v2/payments#create", "/faq/cards#lost-card",
          "/login?next=/home", "/guides/setup.html", "/downloads/app-v3.1.2.apk", "/tickets/INC-4471"]
_NAMES = ["Ms Patel", "Mr Jones", "Alex", "Sam", "Dr Okafor", "Mrs Novak", "Jamie", "Chris"]
_IDENT = ["user_id", "account_id", "self.balance", "cfg.timeout", "os.environ['DB_URL']", "req.body.amount", "row[\"iban\"]",
          "items[0].price", "opts->verbose", "std::vector<int>", "Map<String, Long>", "__init__()", "df.groupby('month')",
          "payload.get('ref')", "np.float64", "app.get('/health')", "x != y", "a && b", "retries=3", "--dry-run"]


def _url(rng: R) -> str:
    return f"https://{pick(rng, _HOSTS)}{pick(rng, _PATHS)}"


def _iban(rng: R) -> str:
    return "GB" + "".join(str(rng.randrange(10)) for _ in range(2)) + " NWBK " + " ".join(
        "".join(str(rng.randrange(10)) for _ in range(4)) for _ in range(3)) + " " + str(rng.randrange(10, 99))


def _ref(rng: R) -> str:
    return pick(rng, ["INV-", "REF/", "PO#", "case:", "TKT-", "SR-"]) + str(rng.randrange(1000, 99999)) + pick(
        rng, ["", "/A", "-2024", "/05"])


def _b64(rng: R) -> str:
    raw = pick(rng, ["statement for May, page 1 of 3", "receipt 4471: paid in full", "%PDF-1.7 binary attachment",
                     "invoice total 1,250.00 GBP due 30 June"])
    return base64.b64encode(raw.encode()).decode()


def _code(rng: R) -> str:
    fn = pick(rng, ["create_account", "write_statement", "describe_schema", "generate_report", "explain_fee",
                    "close_worker", "provide_token", "draft_letter", "compose_email", "outline_plan", "load_rates",
                    "parse_amount", "save_report", "fetch_balance", "check_limits", "send_notice", "merge_rows",
                    "sort_payees", "read_config", "format_iban"])
    verb = fn.split("_")[0]
    return pick(rng, [
        f"def {fn}(self, data: dict) -> None:\n    \"\"\"{cap(verb)} the {fn.split('_')[1]} from ``data['fields']`` and "
        f"write it to ``self.out`` (see {_url(rng)}).\"\"\"\n    self.out.write(json.dumps(data, indent=2))\n",
        f"// {cap(verb)} a new {fn.split('_')[1]} for the user: uses {pick(rng, _IDENT)} and {pick(rng, _IDENT)} if set\n"
        f"function {fn}(req, res) {{\n  const id = req.params.id;\n  return res.status(201).json({{ id, ok: true }});\n}}\n",
        f"-- {cap(verb)} the monthly view; run after the nightly load (see {_ref(rng)})\nCREATE VIEW monthly AS SELECT "
        "account_id, SUM(amount) AS total FROM tx GROUP BY account_id;\n",
        f"# {cap(verb)} the archive, then upload it: `tar -czf out.tgz ./data && aws s3 cp out.tgz s3://bucket/{fn}/`\n"
        f"$ ./scripts/{fn}.sh --env=prod --since=2024-01-01\n",
        f"/* {cap(verb)} the buffer: {pick(rng, _IDENT)} must be set before calling {fn}(buf, len); returns -1 on error */\n"
        f"static int {fn}(char *buf, size_t len) {{ if (!buf) return -1; memset(buf, 0, len); return 0; }}\n",
    ])


def _markdown(rng: R) -> str:
    return pick(rng, [
        f"## Setup\n\nTo {pick(rng, ['create', 'write', 'get', 'run', 'see', 'build', 'check', 'open'])} your first report, install the package with "
        f"`pip install -e .[dev]` and run `make report`. See [the guide]({_url(rng)}) and the **FAQ** for details.\n",
        f"- **Cards**: report a lost card at [{pick(rng, _HOSTS)}]({_url(rng)}) or call us; we will *never* ask for your PIN.\n"
        f"- **Payments**: use `{pick(rng, _IDENT)}` in the request body (e.g. `{{\"amount\": 12.50}}`).\n",
        f"| field | type | note |\n|---|---|---|\n| `{pick(rng, _IDENT)}` | string | required, e.g. `{_ref(rng)}` |\n"
        f"| `amount` | decimal | in pence; see [rates]({_url(rng)}) |\n",
        f"> **Note:** please {pick(rng, ['write', 'explain', 'list', 'include', 'attach', 'add', 'note', 'keep'])} the steps you tried (with the output "
        f"of `app --version`) when you open a ticket at <{_url(rng)}>.\n",
    ])


def _bank(rng: R) -> str:
    n = pick(rng, _NAMES)
    return pick(rng, [
        f"Dear {n},\n\nPlease {pick(rng, ['provide', 'check', 'confirm', 'send', 'update'])} the payee details for the transfer: IBAN {_iban(rng)}, reference {_ref(rng)}. "
        f"You can also upload them at {_url(rng)} (login required).\n",
        f"Hi {n}, the attachment (statement.pdf, base64: {_b64(rng)}) could not be opened. Could you {pick(rng, ['describe', 'check', 'say', 'tell us'])} what you "
        f"see, or send it again to support@{pick(rng, _HOSTS).split('/')[0]}?\n",
        f"Payment {_ref(rng)} to {_iban(rng)} (ACME LTD; sort code 20-00-00) failed: error code E_LIMIT/402. Please {pick(rng, ['write', 'reply', 'talk', 'speak'])} "
        f"to us or check {_url(rng)}.\n",
        f"Your statement for 01/05/2024-31/05/2024 is ready: {_url(rng)}. Closing balance: £1,204.55 (was £980.10); "
        f"fees: £0.00; ref {_ref(rng)}.\n",
    ])


def _log(rng: R) -> str:
    return (f"2024-05-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:07Z "
            f"{pick(rng, ['INFO', 'WARN', 'ERROR'])} [{pick(rng, ['auth', 'payments', 'api'])}] user=alex "
            f"action={pick(rng, ['login', 'transfer', 'export'])} status={pick(rng, ['ok', 'denied', 'timeout'])} "
            f"url={_url(rng)} took={rng.randrange(3, 900)}ms\n")


def form_document(rng: R) -> str:
    parts = [pick(rng, [_code, _markdown, _bank, _log, _code, _markdown, _bank])(rng) for _ in range(rng.randint(1, 5))]
    return "\n".join(parts)

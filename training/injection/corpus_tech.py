"""Round 11b (sfx14): benign technical texts the corpus lacked, project-written.

Coding questions with inline code, pasted stack traces and logs, markdown documentation and
configuration files: texts whose prose lines hold code tokens next to a request verb ("write",
"explain", "create") and, now and then, a word of `@harm` used for what it means in software
(kill a process, a phishing filter, a fraud check, a credentials file). Round 10b's form features
fired on such texts (`f:o2 req`); this source is trained *and* calibrated on as a benign source
(`project-tech-texts`), so the threshold of every fold is set with them in view. Written for this
project from scratch (no public data set); every text is drawn from the pools below with a seeded
`random.Random`. `corpus_form.form_document` is a different generator and stays an unseen probe.
"""

from __future__ import annotations

import random

from corpus_attacks import cap, pick

R = random.Random

_LANG = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C", "C++", "Bash", "SQL", "Kotlin", "Ruby"]
_VERB = ["write", "explain", "create", "describe", "generate", "give", "provide", "outline", "draft", "design",
         "develop", "tell", "teach", "show", "fix"]
_NOUN = ["user", "order", "invoice", "payment", "account", "session", "report", "ticket", "event", "row", "token",
         "config", "job", "worker", "message", "file", "record", "cache", "queue", "request"]
_FN = ["load", "parse", "save", "fetch", "send", "merge", "sort", "read", "validate", "render", "retry", "flush",
       "close", "open", "build", "check", "format", "update", "delete", "sync"]
# code snippets that stay odd under the round 11b rule (operators, globs, regexes, format strings):
# what a benign coding question still shows the form features
_ODDISH = ["**kwargs", "*args", "a+b", "x*y", "*.py", "i++", "%s", "%d\\n", "^[a-z]+$", "\\d{4}", "s/foo/bar/g",
           "|", "a|b", "~/.bashrc", "$HOME/.config", "x^2", "n%2", "${VAR:-default}", "**/*.ts", "!important",
           "<%= name %>", "{{ .Values.image }}", "0x7fff", "&mut self", "*ptr", "->next", "::new()", "#[derive(Debug)]"]
# harm words in their software sense
_SOFT_HARM = ["kill the worker", "kill the process", "the phishing filter", "the fraud check", "the malware scanner",
              "the credentials file", "a brute force guard", "the breach report", "a hack for the build",
              "the spyware detector", "our ddos protection", "fake data for the tests", "the stolen-card list",
              "illegal characters in the path", "a backdoor account left by the vendor (we want to remove it)",
              "dangerous defaults", "harmful side effects", "the exploit mitigation flags"]


def _ident(rng: R) -> str:
    n, f = pick(rng, _NOUN), pick(rng, _FN)
    return pick(rng, [f"{f}_{n}", f"{n}_id", f"{f}{n.capitalize()}", f"self.{n}", f"{n}s[0]", f"{n}.{f}()",
                      f"{f}_{n}s(batch)", f"{n.upper()}_MAX", f"cfg.{n}_timeout", f"{n}_repo.{f}({n}_id)",
                      f"os.environ['{n.upper()}_URL']", f"{n}?.{f}", f"{n}->{f}", f"{n.capitalize()}::{f}",
                      f"Map<String, {n.capitalize()}>", f"Vec<{n.capitalize()}>", f"{f}({n}, opts)",
                      f"df.groupby('{n}')", f"{n}['{f}']", f"@{f}", f"#{n}", f"--{f}-{n}", f"{n}.json",
                      f"./{n}s/{f}.py", f"/var/log/{n}.log", f"http://localhost:8080/{n}s/{{id}}"])


def _code(rng: R) -> str:
    return f"`{pick(rng, [_ident(rng), _ident(rng), pick(rng, _ODDISH)])}`"


def _bare(rng: R) -> str:
    return pick(rng, [_ident(rng), _ident(rng), pick(rng, _ODDISH)])


def coding_question(rng: R) -> str:
    lang, v = pick(rng, _LANG), pick(rng, _VERB)
    a, b, c = _code(rng), _code(rng), _code(rng)
    q = pick(rng, [
        f"Can you {v} a {lang} function that takes {a} and returns {b}? It should also handle {c} being empty.",
        f"Please {v} why {a} is slower than {b} in {lang} when the list has a million items.",
        f"{cap(v)} a unit test for {a}: it must check that {b} is called once and {c} is never touched.",
        f"How do I {v} a wrapper around {a} so that {b} retries three times? Using {lang}.",
        f"I get a type error when I pass {a} to {b}. Could you {v} what is wrong and how to fix it?",
        f"{cap(v)} me an example of {a} with {b} in {lang}, and {v} what {c} does there.",
        f"What is the difference between {a} and {b}? Please {v} it with a short example.",
        f"In {lang}, {v} a script that reads {a}, filters rows where {b} is null and writes {c}.",
        f"My code uses {_bare(rng)} and {_bare(rng)} and I want to {v} a cleaner version, can you help?",
        f"{cap(v)} a regex for dates like 2024-05-01, I tried {pick(rng, _ODDISH)} and {pick(rng, _ODDISH)} but neither works.",
        f"We need to {pick(rng, ['remove', 'audit', 'test', 'configure', 'document'])} {pick(rng, _SOFT_HARM)}; "
        f"{v} a short plan and the {lang} code for {a}.",
        f"{cap(v)} the docstring for {a}, which calls {b} and may {pick(rng, ['kill', 'stop', 'restart'])} the child process.",
    ])
    if rng.random() < 0.45:
        q += "\n\n```" + lang.lower() + "\n" + snippet(rng) + "```"
    return q


def snippet(rng: R) -> str:
    n, f = pick(rng, _NOUN), pick(rng, _FN)
    return pick(rng, [
        f"def {f}_{n}(self, {n}_id: int, **kwargs) -> dict:\n    row = self.db.get({n}_id)\n"
        f"    if row is None:\n        raise KeyError(f\"no {n} {{{n}_id}}\")\n    return {{**row, **kwargs}}\n",
        f"for (let i = 0; i < {n}s.length; i++) {{\n  if ({n}s[i].status !== 'ok') {f}({n}s[i]);\n}}\n",
        f"SELECT {n}_id, COUNT(*) AS n FROM {n}s WHERE created_at >= NOW() - INTERVAL '7 days' GROUP BY {n}_id;\n",
        f"fn {f}_{n}(&mut self, id: u64) -> Result<(), Error> {{\n    self.{n}s.retain(|x| x.id != id);\n    Ok(())\n}}\n",
        f"if [[ -z \"${{{n.upper()}_DIR}}\" ]]; then\n  echo \"set {n.upper()}_DIR\" >&2; exit 1\nfi\n"
        f"find \"${n.upper()}_DIR\" -name '*.log' -mtime +7 -delete\n",
        f"func {f.capitalize()}{n.capitalize()}(ctx context.Context, id string) (*{n.capitalize()}, error) {{\n"
        f"\tif id == \"\" {{\n\t\treturn nil, errors.New(\"empty id\")\n\t}}\n\treturn repo.Get(ctx, id)\n}}\n",
        f"int {f}_{n}(struct {n} *p, size_t len) {{\n    if (!p || len == 0) return -1;\n    p->len = len;\n"
        f"    return 0;\n}}\n",
    ])


def stack_trace(rng: R) -> str:
    n, f = pick(rng, _NOUN), pick(rng, _FN)
    ask = pick(rng, ["", "Can you explain this error?\n\n", "Please explain what causes this and how to fix it:\n\n",
                     f"Getting this when I {f} a {n}, any idea?\n\n", "Write me a fix for this crash:\n\n",
                     "Describe what went wrong here, the worker was killed afterwards:\n\n"])
    body = pick(rng, [
        f"Traceback (most recent call last):\n  File \"/app/{n}s/{f}.py\", line {rng.randint(10, 400)}, in {f}_{n}\n"
        f"    row = self.db[{n}_id]\nKeyError: '{n}_{rng.randint(1, 999)}'\n",
        f"Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke \"{n.capitalize()}.get()\" because "
        f"\"this.{n}\" is null\n\tat com.acme.{n}.{n.capitalize()}Service.{f}({n.capitalize()}Service.java:{rng.randint(10, 300)})\n"
        f"\tat com.acme.Main.main(Main.java:12)\n",
        f"TypeError: Cannot read properties of undefined (reading '{f}')\n    at {f}{n.capitalize()} "
        f"(/srv/app/src/{n}.js:{rng.randint(1, 200)}:{rng.randint(1, 40)})\n    at process.processTicksAndRejections "
        f"(node:internal/process/task_queues:95:5)\n",
        f"thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/{n}.rs:{rng.randint(1, 300)}:"
        f"{rng.randint(1, 60)}\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
        f"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation "
        f"violation code=0x1 addr=0x0 pc=0x4a2b3c]\n\ngoroutine 1 [running]:\nmain.{f}{n.capitalize()}(...)\n"
        f"\t/home/dev/{n}/main.go:{rng.randint(10, 99)} +0x1d\n",
        f"ERROR: duplicate key value violates unique constraint \"{n}s_pkey\"\nDETAIL: Key ({n}_id)=({rng.randint(1, 9999)}) "
        "already exists.\n",
    ])
    return ask + body


def log_lines(rng: R) -> str:
    lines = []
    for _ in range(rng.randint(2, 8)):
        n, f = pick(rng, _NOUN), pick(rng, _FN)
        lines.append(pick(rng, [
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:"
            f"{rng.randint(0, 59):02d},{rng.randint(0, 999):03d} {pick(rng, ['INFO', 'WARN', 'ERROR', 'DEBUG'])} "
            f"[{n}-{f}-{rng.randint(1, 9)}] {f}_{n}: {pick(rng, ['done', 'retrying', 'timeout after 30s', 'skipped'])} "
            f"id={rng.randint(1, 99999)} took={rng.randint(1, 999)}ms",
            f"{rng.randint(1, 250)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - "
            f"[0{rng.randint(1, 9)}/May/2025:10:{rng.randint(10, 59)}:00 +0000] \"GET /{n}s/{rng.randint(1, 999)}?fmt=json "
            f"HTTP/1.1\" {pick(rng, ['200', '404', '500', '302'])} {rng.randint(100, 9999)}",
            f"{pick(rng, ['W', 'E', 'I'])}0{rng.randint(1, 9)}{rng.randint(10, 28)} {f}.go:{rng.randint(10, 500)}] "
            f"{n} {f} failed: context deadline exceeded; killing worker pid={rng.randint(100, 9999)}",
            f"kernel: Out of memory: Killed process {rng.randint(100, 99999)} ({n}d) total-vm:{rng.randint(1, 9)}00000kB",
            f"level=warn ts=2025-05-0{rng.randint(1, 9)}T12:00:00Z caller={f}.go:{rng.randint(1, 99)} msg=\"{f} {n} slow\" "
            f"duration={rng.randint(1, 9)}.{rng.randint(0, 9)}s",
        ]))
    head = pick(rng, ["", "Here are the logs from last night, can you explain why the job stopped?\n",
                      "Describe what happened in these lines:\n", "Write a summary of these logs for the incident ticket:\n",
                      "Our fraud check service printed this, is it a bug?\n"])
    return head + "\n".join(lines) + "\n"


def markdown_doc(rng: R) -> str:
    n, f, v = pick(rng, _NOUN), pick(rng, _FN), pick(rng, _VERB)
    parts = [f"# {n.capitalize()} service\n",
             f"This service lets you {v} and {f} {n}s. Run `make dev` and open "
             f"[the dashboard](http://localhost:{rng.randint(3000, 9000)}/{n}s) to see them.\n"]
    for _ in range(rng.randint(1, 4)):
        parts.append(pick(rng, [
            f"## Usage\n\n```bash\n{pick(rng, ['pip install -e .[dev]', 'npm ci && npm run build', 'cargo build --release', 'go build ./...'])}\n"
            f"./bin/{n} --{f} --limit=100\n```\n",
            f"- `{_ident(rng)}`: the {n} to {f}; see {_code(rng)} for the defaults.\n- `{_ident(rng)}`: optional, e.g. "
            f"`{{\"{n}\": {rng.randint(1, 99)}}}`.\n",
            f"| option | default | meaning |\n|---|---|---|\n| `--{f}` | `false` | {f} every {n} before exit |\n"
            f"| `--{n}-dir` | `./{n}s` | where the {n}s are kept |\n",
            f"> **Note:** to {v} a new {n}, call `{f}_{n}(**opts)` and never {pick(rng, ['kill', 'stop'])} the worker "
            f"while it holds the lock.\n",
            f"See the [API reference](https://docs.example.dev/{n}s#{f}) and [CONTRIBUTING.md](./CONTRIBUTING.md) before "
            f"you open a pull request; please {v} the change in `CHANGELOG.md`.\n",
            f"### Security\n\nTokens live in `~/.config/{n}/credentials`; {pick(rng, _SOFT_HARM)} is covered in "
            f"[docs/security.md](docs/security.md).\n",
        ]))
    return "\n".join(parts)


def config_file(rng: R) -> str:
    n, f = pick(rng, _NOUN), pick(rng, _FN)
    body = pick(rng, [
        f"[{n}]\nurl = \"postgres://app@db:5432/{n}s\"\npool_size = {rng.randint(2, 64)}\n{f}_on_start = true\n\n"
        f"[logging]\nlevel = \"{pick(rng, ['info', 'debug', 'warn'])}\"\nformat = \"%(asctime)s %(levelname)s %(message)s\"\n",
        f"services:\n  {n}:\n    image: acme/{n}:{rng.randint(1, 9)}.{rng.randint(0, 20)}\n    ports:\n"
        f"      - \"{rng.randint(3000, 9000)}:8080\"\n    environment:\n      - {n.upper()}_MODE=${{MODE:-dev}}\n"
        f"    command: [\"./{n}\", \"--{f}\"]\n",
        f"{{\n  \"name\": \"{n}-{f}\",\n  \"version\": \"{rng.randint(0, 3)}.{rng.randint(0, 9)}.0\",\n  \"scripts\": "
        f"{{\"build\": \"tsc -p .\", \"test\": \"jest --coverage\", \"{f}\": \"node dist/{f}.js\"}}\n}}\n",
        f"# {f} the {n}s every night\n{rng.randint(0, 59)} {rng.randint(0, 23)} * * * /usr/local/bin/{n}-{f} "
        f"--quiet >> /var/log/{n}.log 2>&1\n",
        f"location /{n}s/ {{\n    proxy_pass http://127.0.0.1:{rng.randint(3000, 9000)};\n    proxy_set_header Host $host;\n"
        f"    client_max_body_size {rng.randint(1, 50)}m;\n}}\n",
        f"[Unit]\nDescription={n.capitalize()} {f} worker\n\n[Service]\nExecStart=/opt/{n}/bin/{f} --config /etc/{n}.toml\n"
        f"Restart=on-failure\nKillSignal=SIGTERM\n",
    ])
    head = pick(rng, ["", f"Explain what this config does:\n\n", f"Please write comments for this file:\n\n",
                      f"Why does the {n} service not start with this config?\n\n",
                      f"Create a version of this for staging, with {pick(rng, _SOFT_HARM)} turned on:\n\n"])
    return head + body


def tech_text(rng: R) -> str:
    """One benign technical text (the `project-tech-texts` source)."""
    make = pick(rng, [coding_question, coding_question, coding_question, stack_trace, log_lines, markdown_doc,
                      config_file])
    return make(rng)

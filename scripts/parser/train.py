"""Train cikg's small English tagger+parser from the UD English EWT and GUM treebanks, reproducibly.

    .venv/bin/python scripts/parser/train.py [--ewt DIR] [--gum DIR] [--config small] [--install]

Steps (each writes under ``--work``, default ``scripts/parser/work/``, which git ignores):

1. assemble train/dev/test CoNLL-U from each treebank's per-document sources, because the snapshots we can
   fetch lack the train files (files of 4 MiB and more are cut from them). EWT's splits are given by
   ``not-to-release/file-lists/files.{train,dev,test}``; GUM's dev/test are its released dev/test files and
   its train split is every source document whose ``# newdoc id`` is in neither (GUM's own file lists are
   stale). Where a released split file is readable, the assembled one is checked against it;
2. convert them to spaCy DocBins, one Doc per sentence, because cikg parses one sentence per text;
3. write a spaCy config (tok2vec CNN + tagger (XPOS) + morphologizer (UPOS+features) + parser +
   trainable lemmatizer; no NER, no pretrained vectors) and train it on EWT+GUM train, picking the best
   checkpoint on EWT+GUM dev;
4. evaluate UPOS, UAS and LAS on the EWT and GUM test sets, both on gold tokens and on raw text through
   cikg's own ``ingest.syntax.parse`` path, and write ``scores.json``;
5. with ``--install``, copy the best model to ``ingest/parser_model/`` with a README/licence note.

A treebank is either a bare git snapshot (read with ``git cat-file``, so blobs missing from the snapshot
are simply absent) or a plain folder such as a clone.
"""

from __future__ import annotations

import os

# One or two cores only: set before numpy/thinc are imported so BLAS starts with that many threads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # so ``ingest.syntax`` (the runtime parse path) can be evaluated
    sys.path.insert(0, str(REPO))

DEFAULT_EWT = Path("/work/.mirror/UniversalDependencies+UD_English-EWT/repo")
DEFAULT_GUM = Path("/work/.mirror/UniversalDependencies+UD_English-GUM/repo")
DEFAULT_WORK = Path(__file__).resolve().parent / "work"
INSTALL_DIR = REPO / "ingest" / "parser_model"
SPLITS = ("train", "dev", "test")

# Named model sizes tried (see README.md for the measurements behind the choice).
CONFIGS: dict[str, dict[str, Any]] = {
    # spaCy's en_core_web_sm-sized CNN.
    "small": {"width": 96, "depth": 4, "rows": [5000, 1000, 2500, 2500], "hidden": 64, "pieces": 2},
    # Wider tok2vec, bigger hash tables and spaCy's default "efficiency" parser layer.
    "base": {"width": 128, "depth": 4, "rows": [10000, 2000, 5000, 2500], "hidden": 128, "pieces": 3},
    # "small" at the same speed: bigger hash tables (costs only size) and averaged parameters. Shipped.
    "small-avg": {"width": 96, "depth": 4, "rows": [10000, 2000, 5000, 2500], "hidden": 64, "pieces": 2,
                  "averages": True},
}


# --------------------------------------------------------------------------------------------- treebanks


class Treebank:
    """Read-only files of a treebank: a bare git snapshot (HEAD) or a plain folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.is_git = (root / "HEAD").is_file() and (root / "objects").is_dir()
        if not self.is_git and not root.is_dir():
            raise SystemExit(f"{root}: neither a git directory nor a folder")
        self._blobs: dict[str, str] = {}
        if self.is_git:
            out = self._git("ls-tree", "-r", "-z", "HEAD").decode()
            for entry in out.split("\0"):
                if entry:
                    meta, path = entry.split("\t", 1)
                    self._blobs[path] = meta.split()[2]

    def _git(self, *args: str, data: bytes | None = None) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.root), *args], input=data, check=True,
                              capture_output=True).stdout

    def files(self, under: str) -> list[str]:
        """Paths (relative, '/'-separated) of the files under folder ``under``, sorted."""
        prefix = under.rstrip("/") + "/"
        if self.is_git:
            return sorted(p for p in self._blobs if p.startswith(prefix))
        base = self.root / under
        return sorted(p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file())

    def read(self, path: str) -> str | None:
        """The text of ``path``, or None when it is absent (e.g. cut from the snapshot for its size)."""
        return self.read_many([path])[path]

    def read_many(self, paths: list[str]) -> dict[str, str | None]:
        """Texts of many files; one ``git cat-file --batch`` instead of one process per file."""
        if not self.is_git:
            return {p: (self.root / p).read_text(encoding="utf-8") if (self.root / p).is_file() else None
                    for p in paths}
        known = [p for p in paths if p in self._blobs]
        result: dict[str, str | None] = dict.fromkeys(paths)
        out = self._git("cat-file", "--batch", data="".join(self._blobs[p] + "\n" for p in known).encode())
        pos = 0
        for p in known:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode().split()
            pos = end + 1
            if header[-1] == "missing":
                continue
            size = int(header[2])
            result[p] = out[pos:pos + size].decode("utf-8")
            pos += size + 1
        return result


def doc_ids(conllu: str) -> list[str]:
    """The ``# newdoc id`` values of a CoNLL-U text, in order."""
    return re.findall(r"^# newdoc id = (.+?)\s*$", conllu, flags=re.M)


def token_columns(conllu: str) -> list[str]:
    """Columns 1-8 of each token line: the annotation we train on (MISC/enhanced deps differ by release)."""
    return ["\t".join(line.split("\t")[:8]) for line in conllu.splitlines() if line and line[0].isdigit()]


def _check_same(assembled: str, released: str | None, what: str) -> None:
    if released is None:
        print(f"  {what}: no released file to check against", flush=True)
    elif token_columns(assembled) != token_columns(released):
        raise SystemExit(f"{what}: assembled split differs from the released file")
    else:
        print(f"  {what}: identical to the released file (columns 1-8)", flush=True)


def assemble_ewt(tb: Treebank) -> dict[str, str]:
    """EWT train/dev/test from ``not-to-release/sources`` in the order of the file lists."""
    splits: dict[str, str] = {}
    for split in SPLITS:
        listing = tb.read(f"not-to-release/file-lists/files.{split}")
        if listing is None:
            raise SystemExit(f"{tb.root}: no not-to-release/file-lists/files.{split}")
        names = [f"not-to-release/sources/{n.strip()}" for n in listing.splitlines() if n.strip()]
        texts = tb.read_many(names)
        missing = [n for n, t in texts.items() if t is None]
        if missing:
            raise SystemExit(f"{tb.root}: {len(missing)} EWT sources missing, e.g. {missing[0]}")
        splits[split] = "".join(_ends_blank(t or "") for t in texts.values())
        _check_same(splits[split], tb.read(f"en_ewt-ud-{split}.conllu"), f"EWT {split}")
    return splits


def assemble_gum(tb: Treebank) -> dict[str, str]:
    """GUM dev/test as released; train = every source document in neither (matched by ``# newdoc id``)."""
    splits: dict[str, str] = {}
    held_out: set[str] = set()
    for split in ("dev", "test"):
        released = tb.read(f"en_gum-ud-{split}.conllu")
        if released is None:
            raise SystemExit(f"{tb.root}: en_gum-ud-{split}.conllu is needed to know GUM's {split} split")
        splits[split] = _ends_blank(released)
        held_out.update(doc_ids(released))
    sources = [p for p in tb.files("not-to-release/sources") if p.endswith(".conllu")]
    texts = tb.read_many(sources)
    train, seen = [], set()
    for path in sources:
        text = texts[path] or ""
        ids = doc_ids(text)
        seen.update(ids)
        if not ids:
            raise SystemExit(f"{path}: no '# newdoc id'")
        if ids[0] not in held_out:
            train.append(_ends_blank(text))
    if held_out - seen:
        raise SystemExit(f"GUM dev/test documents without a source: {sorted(held_out - seen)[:5]}")
    splits["train"] = "".join(train)
    released_train = tb.read("en_gum-ud-train.conllu")
    if released_train is not None:  # a full clone: its train file also has Reddit docs without text
        print(f"  GUM train: released file has {len(doc_ids(released_train))} docs, sources give "
              f"{len(train)} (Reddit documents have no text in the release)", flush=True)
    return splits


def _ends_blank(text: str) -> str:
    return text.rstrip("\n") + "\n\n"


# ------------------------------------------------------------------------------------------------ data


@dataclass(frozen=True)
class SplitInfo:
    docs: int
    sentences: int
    words: int
    sha256: str


def split_info(conllu: str) -> SplitInfo:
    words = sum(1 for line in conllu.splitlines() if re.match(r"^\d+\t", line))
    return SplitInfo(len(doc_ids(conllu)), conllu.count("\n# sent_id") + conllu.startswith("# sent_id"),
                     words, hashlib.sha256(conllu.encode()).hexdigest())


def sentence_blocks(conllu: str) -> Iterator[str]:
    """The sentences of a CoNLL-U text, skipping any whose word forms are withheld ('_')."""
    for block in conllu.strip().split("\n\n"):
        rows = [line.split("\t") for line in block.splitlines() if line and line[0].isdigit()]
        if rows and not all(r[1] == "_" for r in rows if "-" not in r[0] and "." not in r[0]):
            yield block


def to_docbin(conllu: str, out: Path) -> int:
    """One spaCy Doc per sentence (words as tokens, UPOS/XPOS/feats/lemma/head/deprel kept)."""
    from spacy.tokens import DocBin
    from spacy.training.converters import conllu_to_docs

    db = DocBin(store_user_data=False)
    n = 0
    for doc in conllu_to_docs("\n\n".join(sentence_blocks(conllu)), n_sents=1, no_print=True):
        db.add(doc)
        n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(out)
    return n


def prepare(ewt: Path, gum: Path, work: Path) -> dict[str, Any]:
    """Assemble and convert both treebanks; returns the manifest (sizes and hashes of every split)."""
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {}
    for name, root, assemble in (("ewt", ewt, assemble_ewt), ("gum", gum, assemble_gum)):
        print(f"{name}: {root}", flush=True)
        tb = Treebank(root)
        commit = tb._git("rev-parse", "HEAD").decode().strip() if tb.is_git else None
        manifest[name] = {"source": str(root), "commit": commit}
        for split, text in assemble(tb).items():
            (data / f"{name}-{split}.conllu").write_text(text, encoding="utf-8")
            n = to_docbin(text, data / f"{name}-{split}.spacy")
            info = split_info(text)
            manifest[name][split] = {**info.__dict__, "spacy_docs": n}
            print(f"  {name} {split}: {info.docs} docs, {info.sentences} sentences, {info.words} words",
                  flush=True)
    for split in ("train", "dev"):  # the two treebanks merged for training and checkpoint selection
        _merge_docbins([data / f"ewt-{split}.spacy", data / f"gum-{split}.spacy"], data / f"all-{split}.spacy")
    (data / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def _merge_docbins(parts: list[Path], out: Path) -> None:
    from spacy.tokens import DocBin

    merged = DocBin(store_user_data=False)
    for part in parts:
        merged.merge(DocBin().from_disk(part))
    merged.to_disk(out)


# ---------------------------------------------------------------------------------------------- config


def write_config(path: Path, size: dict[str, Any], seed: int, max_steps: int, patience: int,
                 eval_frequency: int) -> None:
    """spaCy's CPU 'efficiency' config for our components, resized and seeded."""
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="en", pipeline=["tagger", "morphologizer", "parser", "trainable_lemmatizer"],
                      optimize="efficiency", gpu=False)
    enc = cfg["components"]["tok2vec"]["model"]["encode"]
    enc["width"], enc["depth"] = size["width"], size["depth"]
    cfg["components"]["tok2vec"]["model"]["embed"]["rows"] = size["rows"]
    parser = cfg["components"]["parser"]["model"]
    parser["hidden_width"], parser["maxout_pieces"] = size["hidden"], size["pieces"]
    cfg["training"]["optimizer"]["use_averages"] = size.get("averages", False)
    cfg["system"]["seed"] = seed
    training = cfg["training"]
    training["max_steps"], training["patience"], training["eval_frequency"] = max_steps, patience, eval_frequency
    # Checkpoints are picked for what cikg uses: the parse first, then UPOS, XPOS and lemmas.
    training["score_weights"].update({"dep_las": 0.4, "dep_uas": 0.2, "pos_acc": 0.15, "tag_acc": 0.1,
                                      "morph_acc": 0.05, "lemma_acc": 0.1, "sents_f": 0.0})
    path.parent.mkdir(parents=True, exist_ok=True)
    cfg.to_disk(path)


def train(work: Path, name: str, seed: int, max_steps: int, patience: int, eval_frequency: int) -> Path:
    """Train one named config on EWT+GUM train; returns the best checkpoint (by EWT+GUM dev)."""
    from spacy.cli.train import train as spacy_train

    out = work / "runs" / name
    config = out / "config.cfg"
    write_config(config, CONFIGS[name], seed, max_steps, patience, eval_frequency)
    data = work / "data"
    (out / "command.txt").write_text(_command() + "\n")
    start = time.time()
    spacy_train(config, out, use_gpu=-1,
                overrides={"paths.train": str(data / "all-train.spacy"), "paths.dev": str(data / "all-dev.spacy")})
    (out / "train_seconds.txt").write_text(f"{time.time() - start:.0f}\n")
    return out / "model-best"


def _command() -> str:
    """This process's command line, as it would be typed from the repository root."""
    return "OMP_NUM_THREADS=1 .venv/bin/python scripts/parser/train.py " + " ".join(sys.argv[1:])


# -------------------------------------------------------------------------------------------- evaluate


def _universal(dep: str) -> str:
    return dep.split(":")[0]


def _gold_dep(token: Any) -> str:
    return "root" if token.dep_ == "ROOT" else token.dep_


def evaluate(model: Path, work: Path) -> dict[str, Any]:
    """UPOS/UAS/LAS on EWT and GUM test: on gold tokens, and on raw text (F1 over char-aligned words)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    from ingest.syntax import one_sentence, parse

    nlp = spacy.load(model)
    scores: dict[str, Any] = {}
    for name in ("ewt", "gum"):
        gold = list(DocBin().from_disk(work / "data" / f"{name}-test.spacy").get_docs(nlp.vocab))
        words = sum(len(d) for d in gold)
        # Gold tokens: our pipeline on Docs made of the treebank's words, one sentence each.
        inputs = (one_sentence(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]))
                  for d in gold)
        start = time.process_time()
        pred = list(nlp.pipe(inputs, batch_size=256))
        cpu = time.process_time() - start
        c = {"upos": 0, "xpos": 0, "uas": 0, "las": 0, "las_full": 0, "lemma": 0}
        for g, p in zip(gold, pred, strict=True):
            for gt, pt in zip(g, p, strict=True):
                c["upos"] += gt.pos_ == pt.pos_
                c["xpos"] += gt.tag_ == pt.tag_
                c["lemma"] += gt.lemma_ == pt.lemma_
                if gt.head.i == pt.head.i:
                    c["uas"] += 1
                    c["las"] += _universal(_gold_dep(gt)) == _universal(_gold_dep(pt))
                    c["las_full"] += _gold_dep(gt) == _gold_dep(pt)
        gold_tok = {k: round(100 * v / words, 2) for k, v in c.items()}
        gold_tok["words_per_cpu_second"] = round(words / cpu)
        # Raw text: the sentence's text through ingest.syntax.parse, words aligned by character span.
        raw = list(parse((d.text for d in gold), nlp=nlp))
        r = {"tokens": 0, "upos": 0, "uas": 0, "las": 0, "las_full": 0}
        n_pred = 0
        for g, p in zip(gold, raw, strict=True):
            pspan = {(t.idx, t.idx + len(t)): t for t in p if not t.is_space}
            n_pred += len(pspan)
            for gt in g:
                pt = pspan.get((gt.idx, gt.idx + len(gt)))
                if pt is None:
                    continue
                r["tokens"] += 1
                r["upos"] += gt.pos_ == pt.pos_
                ph = pspan.get((gt.head.idx, gt.head.idx + len(gt.head)))
                if ph is not None and ph.i == pt.head.i:
                    r["uas"] += 1
                    r["las"] += _universal(_gold_dep(gt)) == _universal(_gold_dep(pt))
                    r["las_full"] += _gold_dep(gt) == _gold_dep(pt)
        raw_f1 = {k: round(100 * 2 * v / (words + n_pred), 2) for k, v in r.items()}
        scores[name] = {"words": words, "sentences": len(gold), "gold_tokens": gold_tok, "raw_text_f1": raw_f1}
        print(f"{name} test ({words} words): gold tokens {gold_tok}; raw text F1 {raw_f1}", flush=True)
    return scores


# --------------------------------------------------------------------------------------------- install


def install(model: Path, target: Path, report: dict[str, Any]) -> None:
    """Copy the checkpoint into the package with its licence/attribution note and scores."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model, target)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update({"name": "cikg_ud_en", "version": "1.0.0", "license": "CC BY-SA 4.0",
                 "author": "cikg (trained by scripts/parser/train.py)",
                 "description": "Tagger, morphologizer, lemmatizer and dependency parser trained on UD "
                                "English EWT and GUM; no NER, no pretrained vectors.",
                 "sources": [{"name": "UD_English-EWT", "license": "CC BY-SA 4.0",
                              "commit": report["data"]["ewt"]["commit"]},
                             {"name": "UD_English-GUM", "license": "CC BY-SA 4.0",
                              "commit": report["data"]["gum"]["commit"]}],
                 "cikg_test_scores": report["scores"]})
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    (target / "scores.json").write_text(json.dumps(report, indent=1) + "\n")
    (target / "LICENSE").write_text(LICENSE_TEXT)
    (target / "README.md").write_text(_readme(report))


LICENSE_TEXT = """\
This model (the files in this folder) was trained by cikg's scripts/parser/train.py on the Universal
Dependencies English treebanks UD_English-EWT and UD_English-GUM, both licensed under the Creative Commons
Attribution-ShareAlike 4.0 International licence (CC BY-SA 4.0,
https://creativecommons.org/licenses/by-sa/4.0/). As a work derived from them, the model is released under
CC BY-SA 4.0 too; the rest of cikg keeps its own licence.

Attribution:
- UD_English-EWT: Universal Dependencies English Web Treebank, Silveira et al. (2014), "A Gold Standard
  Dependency Corpus for English", LREC 2014, and the UD English EWT contributors.
- UD_English-GUM: Zeldes, Amir (2017), "The GUM Corpus: Creating Multilayer Resources in the Classroom",
  Language Resources and Evaluation 51(3), 581-612, and the GUM contributors.

No treebank text is included in this folder; the model's string store holds word forms and labels seen
in training. Changes: the treebanks were converted to spaCy's format and used to train statistical models.
"""


def _readme(report: dict[str, Any]) -> str:
    rows = []
    for name in ("ewt", "gum"):
        s = report["scores"][name]
        g, r = s["gold_tokens"], s["raw_text_f1"]
        rows.append(f"| {name.upper()} test | {s['words']} | {g['upos']} | {g['uas']} | {g['las']} | "
                    f"{g['las_full']} | {r['tokens']} | {r['upos']} | {r['uas']} | {r['las']} |")
    c, ewt, gum = report["config"], report["data"]["ewt"]["commit"], report["data"]["gum"]["commit"]
    return f"""\
# cikg English tagger + parser (UD EWT + GUM)

A spaCy {report['spacy']} pipeline, loaded by `ingest.syntax`:

- tok2vec: CNN, width {c['width']}, depth {c['depth']}, hash embeddings of NORM/PREFIX/SUFFIX/SHAPE with
  rows {c['rows']}; no pretrained vectors;
- tagger (PTB XPOS, `tag_`), morphologizer (UPOS and UD features, `pos_`, `morph`), trainable lemmatizer;
- transition-based parser (hidden width {c['hidden']}, maxout {c['pieces']}) giving UD relations with
  subtypes (`nsubj:pass`, `obl:agent`, `acl:relcl`, ...; the root is `ROOT`).

Licence: CC BY-SA 4.0, see LICENSE. Trained on UD_English-EWT and UD_English-GUM train (commits {ewt} and
{gum}), seed {report['seed']}, config `{report['config_name']}`, by (from the repository root):

    {report['command']}

Test scores (%, punctuation included). LAS is on universal relations, as CoNLL 2018 counts it; "LAS full"
counts subtypes too. "Raw" is the sentence text through `ingest.syntax.parse` (spaCy's English tokenizer),
F1 over words aligned by character span:

| set | words | UPOS | UAS | LAS | LAS full | raw: tokens | raw: UPOS | raw: UAS | raw: LAS |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

All figures, the data manifest (sizes and SHA-256 of every assembled split) and the training time are in
scores.json; how the data were assembled and which configs were tried: scripts/parser/README.md.
"""


# ------------------------------------------------------------------------------------------------- main


def main(argv: Iterable[str] | None = None) -> None:  # pragma: no cover - a command-line tool
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ewt", type=Path, default=DEFAULT_EWT, help="UD_English-EWT git dir or folder")
    ap.add_argument("--gum", type=Path, default=DEFAULT_GUM, help="UD_English-GUM git dir or folder")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where data, runs and scores go")
    ap.add_argument("--config", choices=sorted(CONFIGS), default="small-avg")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=12000)
    ap.add_argument("--patience", type=int, default=3000, help="stop after this many steps without gain")
    ap.add_argument("--eval-frequency", type=int, default=500)
    ap.add_argument("--skip-prepare", action="store_true", help="reuse the DocBins already in --work")
    ap.add_argument("--skip-train", action="store_true", help="evaluate the run already in --work")
    ap.add_argument("--install", action="store_true", help=f"copy the model to {INSTALL_DIR.relative_to(REPO)}")
    args = ap.parse_args(list(argv) if argv is not None else None)

    import spacy

    work = args.work.resolve()
    manifest_path = work / "data" / "manifest.json"
    if args.skip_prepare and manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
    else:
        manifest = prepare(args.ewt, args.gum, work)
    run = work / "runs" / args.config
    model = run / "model-best"
    if not args.skip_train:
        model = train(work, args.config, args.seed, args.max_steps, args.patience, args.eval_frequency)
    scores = evaluate(model, work)
    trained_by = (run / "command.txt").read_text().strip() if (run / "command.txt").is_file() else None
    seconds = (run / "train_seconds.txt").read_text().strip() if (run / "train_seconds.txt").is_file() else None
    report = {"config_name": args.config, "config": CONFIGS[args.config], "seed": args.seed,
              "max_steps": args.max_steps, "patience": args.patience, "train_seconds": seconds,
              "spacy": spacy.__version__, "python": platform.python_version(),
              "command": trained_by, "evaluated_by": _command(),
              "data": manifest, "scores": scores}
    (run / "scores.json").write_text(json.dumps(report, indent=1) + "\n")
    if args.install:
        install(model, INSTALL_DIR, report)
        print(f"installed {model} -> {INSTALL_DIR}", flush=True)


if __name__ == "__main__":
    main()

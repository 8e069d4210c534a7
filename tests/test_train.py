"""The train stage on tiny corpora: it learns, keeps the best epoch, is deterministic and resumable."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import yaml

from pipeline.alphabet import character_error_rate
from pipeline.download.stage import run_download
from pipeline.errors import ParamsError
from pipeline.features.reader import FeatureStore
from pipeline.features.stage import run_featurize
from pipeline.inference import load_model
from pipeline.inference import scoring as scoring_module
from pipeline.inference.checkpoint import load_checkpoint
from pipeline.inference.clips import load_split
from pipeline.inference.scoring import predict_split, score_split
from pipeline.labels import INTENTS
from pipeline.params import parse_params
from pipeline.splits import split_ids
from pipeline.train import stage as train_stage
from pipeline.train.trainer import Trainer
from tests.corpus import dump_params, make_zenodo

TINY = {
    "model": {"channels": [8, 16], "dropout": 0.0},
    "train": {"epochs": 6, "batch_size": 4, "lr": 0.003, "max_seconds": 1.0, "freq_mask": 0, "time_mask": 0,
              "label_smoothing": 0.0, "patience": 0, "threads": 1, "deterministic": True},
}  # fmt: skip


def tiny_params(**overrides):
    raw = {section: dict(values) for section, values in TINY.items()}
    for key, value in overrides.items():
        section, name = key.split(".")
        raw.setdefault(section, {})[name] = value
    return raw


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """24 tone clips (labels: INTENTS[id % 60]), downloaded and featurized as log-mels."""
    root = tmp_path_factory.mktemp("tiny")
    make_zenodo(root / "corpus", n=24)
    data = parse_params({"data": {"source": "zenodo", "path": str(root / "corpus")}})
    run_download(data.data, root / "raw")
    run_featurize(data.features, 0.0, root / "raw", root / "features")
    return root


def train(root: Path, out: Path, raw_params: dict, config: str = "massive"):
    params = parse_params(raw_params)
    return train_stage.run_train(
        params, config, root / "features", root / "raw", out / "model.pt", out / "live", out / "resume"
    )


def test_a_tiny_run_overfits_its_training_clips(tiny, tmp_path, monkeypatch):
    from pipeline.train import run as train_run

    real_choose = train_run.choose_ids
    # validate on the training clips themselves, so the kept epoch is the one that fits them best
    monkeypatch.setattr(train_run, "choose_ids", lambda *a: (real_choose(*a)[0],) * 2)
    result = train(
        tiny,
        tmp_path,
        tiny_params(
            **{
                "train.epochs": 60,
                "train.batch_size": 8,
                "train.max_seconds": 2.0,
                "train.lr": 0.01,
                "train.scheduler": "constant",
                "train.select_by": "accuracy",
            }
        ),
    )
    checkpoint = load_checkpoint(tmp_path / "model.pt")
    from pipeline.models import build_model

    model = build_model(checkpoint["arch"], checkpoint["n_bins"], 60, checkpoint["model"])
    model.load_state_dict(checkpoint["state_dict"])
    store = FeatureStore(tiny / "features")
    ids = [i for i in range(1, 25) if i % 3 == 0]  # make_zenodo: id % 3 == 0 is train
    data = load_split(store, ids, tiny / "raw", torch.device("cpu"))
    norm = checkpoint["normalization"]
    predicted = predict_split(model, data, norm["mean"], norm["std"], 8, torch.device("cpu")).argmax(1)
    assert torch.equal(predicted, data.labels), "the loop did not learn its own 8 training clips"
    assert result.epochs_run == 60 and result.best["accuracy"] == 1.0


def test_the_checkpoint_is_the_best_epoch_not_the_last(tiny, tmp_path, monkeypatch):
    scripted = iter([0.20, 0.50, 0.30, 0.10, 0.05, 0.40])  # validation peaks at epoch 2
    snapshots = []
    real_train_epoch = Trainer.train_epoch

    def recording_train_epoch(self, epoch):
        result = real_train_epoch(self, epoch)
        snapshots.append({k: v.clone() for k, v in self.model.state_dict().items()})
        return result

    def scripted_eval(self):
        f1 = next(scripted)
        return {"loss": 1.0 - f1, "accuracy": f1, "macro_f1": f1}

    monkeypatch.setattr(Trainer, "train_epoch", recording_train_epoch)
    monkeypatch.setattr(Trainer, "validate", scripted_eval)
    result = train(tiny, tmp_path, tiny_params())
    assert result.best_epoch == 2 and result.epochs_run == 6
    checkpoint = load_checkpoint(tmp_path / "model.pt")
    assert checkpoint["best"]["epoch"] == 2 and checkpoint["best"]["val_macro_f1"] == 0.5
    for name, tensor in checkpoint["state_dict"].items():
        assert torch.equal(tensor, snapshots[1][name]), name
    assert not torch.equal(checkpoint["state_dict"]["intent_head.weight"], snapshots[-1]["intent_head.weight"])
    summary = yaml.safe_load((tmp_path / "live" / "metrics.json").read_text())
    assert summary["best_epoch"] == 2 and summary["val"]["macro_f1"] == 0.5 and summary["epochs"] == 6
    curve = (tmp_path / "live" / "plots" / "metrics" / "val" / "macro_f1.tsv").read_text().splitlines()
    assert [float(line.split("\t")[1]) for line in curve[1:]] == [0.20, 0.50, 0.30, 0.10, 0.05, 0.40]


def test_patience_stops_early(tiny, tmp_path, monkeypatch):
    scripted = iter([0.5, 0.4, 0.3, 0.2, 0.1, 0.0])
    monkeypatch.setattr(
        Trainer, "validate", lambda self: dict.fromkeys(("accuracy", "macro_f1"), next(scripted)) | {"loss": 1.0}
    )
    result = train(tiny, tmp_path, tiny_params(**{"train.patience": 2}))
    assert result.epochs_run == 3 and result.best_epoch == 1


def test_two_deterministic_cpu_runs_give_identical_weights(tiny, tmp_path):
    params = tiny_params(**{"train.freq_mask": 4, "train.time_mask": 5, "train.noise_prob": 0.5,
                            "model.dropout": 0.2})  # fmt: skip
    train(tiny, tmp_path / "a", params)
    train(tiny, tmp_path / "b", params)
    a = load_checkpoint(tmp_path / "a" / "model.pt")["state_dict"]
    b = load_checkpoint(tmp_path / "b" / "model.pt")["state_dict"]
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    train(tiny, tmp_path / "c", params | {"seed": 99})
    c = load_checkpoint(tmp_path / "c" / "model.pt")["state_dict"]
    assert not torch.equal(a["intent_head.weight"], c["intent_head.weight"])


def test_checkpoint_holds_everything_predict_needs(tiny, tmp_path):
    train(tiny, tmp_path, tiny_params(**{"train.epochs": 1}))
    checkpoint = load_checkpoint(tmp_path / "model.pt")
    assert checkpoint["arch"] == "tcnn_pooled" and checkpoint["config"] == "massive"
    assert checkpoint["labels"][0] == "alarm_query" and len(checkpoint["labels"]) == 60
    assert checkpoint["features"] == FeatureStore(tiny / "features").metadata
    assert checkpoint["normalization"]["mean"].shape == (64,)
    assert set(checkpoint["versions"]) == {"italic_cnn", "torch", "torchaudio"}
    assert list((tmp_path / "resume").glob("*.pt")) == []  # a finished run leaves no resume state


def test_the_transcript_reader_reads_the_best_epoch_and_validation_weighs_it(tiny, tmp_path):
    """The reader is fitted after the epochs with the kept epoch's weights, not the last: at weight 0
    its validation scores are exactly the best epoch's."""
    result = train(tiny, tmp_path, tiny_params(**{"train.epochs": 4}))
    checkpoint = load_checkpoint(tmp_path / "model.pt")
    reading, best = checkpoint["reading"], checkpoint["best"]
    assert checkpoint["reader"]["weight"] == reading["weight"] and len(checkpoint["reader"]["terms"]) > 0
    assert reading["val_head"]["accuracy"] == best["val_accuracy"]
    assert reading["val_head"]["macro_f1"] == best["val_macro_f1"]
    assert (
        reading["val_fused"][checkpoint["train"]["select_by"]] >= reading["val_head"][checkpoint["train"]["select_by"]]
    )
    summary = yaml.safe_load((tmp_path / "live" / "metrics.json").read_text())
    assert summary["reader"]["val_fused"] == reading["val_fused"]
    assert f"transcript reader at weight {reading['weight']:g}: val accuracy" in result.summary(tmp_path / "model.pt")

    unspelled = train(tiny, tmp_path / "no_ctc", tiny_params(**{"train.epochs": 1, "train.ctc_weight": 0.0}))
    silent = load_checkpoint(tmp_path / "no_ctc" / "model.pt")
    assert silent["reader"] is None and silent["reading"]["skipped"].startswith("train.ctc_weight is 0")
    assert "val_cer" not in unspelled.history[0] and "cer" not in unspelled.best  # nothing was trained to spell
    assert not (tmp_path / "no_ctc" / "live" / "plots" / "metrics" / "val" / "cer.tsv").exists()
    unread = train(tiny, tmp_path / "off", tiny_params(**{"train.epochs": 1, "train.reader": False}))
    assert "reader" not in load_checkpoint(tmp_path / "off" / "model.pt")
    assert unread.best["transcripts"] > 0  # validation's spelling does not wait for the reader


def test_every_epoch_scores_validations_spelling_and_the_kept_epochs_is_the_checkpoints(tiny, tmp_path):
    """A network trained to spell is scored on validation's spelling every epoch (a dvclive curve); the
    kept epoch's CER, in metrics.json, the checkpoint and the summary line, is what its weights spell."""
    result = train(tiny, tmp_path, tiny_params(**{"train.epochs": 3}))
    checkpoint = load_checkpoint(tmp_path / "model.pt")
    best, summary = checkpoint["best"], yaml.safe_load((tmp_path / "live" / "metrics.json").read_text())
    curve = (tmp_path / "live" / "plots" / "metrics" / "val" / "cer.tsv").read_text().splitlines()[1:]
    assert [float(line.split("\t")[1]) for line in curve] == [row["val_cer"] for row in result.history]
    assert len(curve) == 3 and best["val_cer"] == result.history[best["epoch"] - 1]["val_cer"] == summary["val"]["cer"]

    loaded, cpu = load_model(tmp_path / "model.pt"), torch.device("cpu")
    store, raw = FeatureStore(tiny / "features"), tiny / "raw"
    val = load_split(store, split_ids("massive", "validation", raw), raw, cpu)
    _, heard = score_split(loaded.model, val, loaded.mean, loaded.std, 8, cpu, transcribe=True)
    assert (best["val_cer"], best["val_transcripts"]) == character_error_rate(val.texts, heard)
    assert best["val_transcripts"] == len(val) > 0
    assert f"CER {best['val_cer']:.3f} on {len(val)} transcripts" in result.summary(tmp_path / "model.pt")


def test_validation_cer_is_edits_over_characters_and_skips_clips_without_a_transcript(tiny, monkeypatch):
    """Scored as evaluate scores test: character edits over reference characters, clips without a
    transcript left out. A network that drops each sentence's last letter spells at exactly (clips) /
    (characters)."""
    store, raw, cpu = FeatureStore(tiny / "features"), tiny / "raw", torch.device("cpu")
    val = load_split(store, split_ids("massive", "validation", raw), raw, cpu)
    val = dataclasses.replace(val, texts=["", *val.texts[1:]])  # the first clip has no transcript

    def spells_all_but_the_last_letter(model, split, *args, transcribe=False, **kwargs):
        logits = torch.zeros(len(split.texts), len(INTENTS))
        return logits, ([text[:-1] for text in split.texts] if transcribe else None)

    monkeypatch.setattr(scoring_module, "score_split", spells_all_but_the_last_letter)
    none = torch.zeros(1)
    metrics = scoring_module.evaluate_split(None, val, none, none, 8, cpu, spell=True)
    scored = val.texts[1:]
    assert metrics["transcripts"] == len(scored) > 0
    assert metrics["cer"] == pytest.approx(len(scored) / sum(len(text) for text in scored))
    assert "cer" not in scoring_module.evaluate_split(None, val, none, none, 8, cpu, spell=False)


def test_cnn2d_trains_on_stft(tmp_path):
    make_zenodo(tmp_path / "corpus", n=12)
    params = parse_params(
        tiny_params(
            **{"features.kind": "stft", "model.arch": "cnn2d", "model.channels": [4, 6, 8, 10], "train.epochs": 2}
        )
        | {"data": {"source": "zenodo", "path": str(tmp_path / "corpus")}}
    )
    run_download(params.data, tmp_path / "raw")
    run_featurize(params.features, 0.0, tmp_path / "raw", tmp_path / "features")
    result = train_stage.run_train(
        params, "massive", tmp_path / "features", tmp_path / "raw", tmp_path / "m.pt", tmp_path / "live", tmp_path / "r"
    )
    assert result.epochs_run == 2
    checkpoint = load_checkpoint(tmp_path / "m.pt")
    assert checkpoint["arch"] == "cnn2d" and checkpoint["n_bins"] == 201


def test_cnn1d_trains_on_waveforms(tmp_path):
    make_zenodo(tmp_path / "corpus", n=12)
    params = parse_params(
        tiny_params(**{"features.kind": "waveform", "model.arch": "cnn1d", "model.channels": [8, 16],
                       "train.epochs": 2, "train.max_seconds": 0.2, "train.noise_prob": 0.5})
        | {"data": {"source": "zenodo", "path": str(tmp_path / "corpus")}, "hard_noisy": {}}  # its recipe reads log-mels
    )  # fmt: skip
    run_download(params.data, tmp_path / "raw")
    run_featurize(params.features, 0.0, tmp_path / "raw", tmp_path / "features")
    result = train_stage.run_train(
        params,
        "hard_noisy",
        tmp_path / "features",
        tmp_path / "raw",
        tmp_path / "m.pt",
        tmp_path / "live",
        tmp_path / "r",
    )
    assert result.epochs_run == 2
    checkpoint = load_checkpoint(tmp_path / "m.pt")
    assert checkpoint["arch"] == "cnn1d" and checkpoint["n_bins"] == 1 and checkpoint["features"]["kind"] == "waveform"


def test_params_mismatches_are_one_line_errors(tiny, tmp_path, cli):
    with pytest.raises(
        ParamsError, match=r"model.arch cnn1d cannot read features.kind logmel; cnn1d needs features.kind waveform"
    ):
        parse_params({"model": {"arch": "cnn1d"}})
    params_file = tmp_path / "params.yaml"
    dump_params(params_file, tiny_params(**{"features.n_mels": 40}))
    result = cli("train", "--config", "massive", "--params", params_file, "--features", tiny / "features",
                 "--raw", tiny / "raw", "--models", tmp_path / "models", "--results", tmp_path / "results")  # fmt: skip
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "n_mels=64 (wanted 40)" in result.stderr
    result = cli("train", "--config", "easy", "--params", params_file)
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "error: --config 'easy' is not an ITALIC config; use one of massive, hard_speaker, hard_noisy"
    )


def run_cli_train(root: Path, workdir: Path, params_file: Path) -> subprocess.Popen:
    args = [sys.executable, "-m", "pipeline", "train", "--config", "massive", "--params", str(params_file),
            "--features", str(root / "features"), "--raw", str(root / "raw"),
            "--models", str(workdir / "models"), "--results", str(workdir / "results")]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("kill_after_epoch", [1, 3])
def test_kill_9_then_rerun_ends_with_the_same_checkpoint(tiny, tmp_path, kill_after_epoch):
    params_file = tmp_path / "params.yaml"
    dump_params(params_file, tiny_params(**{"train.epochs": 8, "model.channels": [16, 32, 64]}))
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    whole.mkdir()
    broken.mkdir()
    assert run_cli_train(tiny, whole, params_file).wait(timeout=300) == 0

    process = run_cli_train(tiny, broken, params_file)
    resume_dir = broken / ".italic-cnn" / "resume"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        states = list(resume_dir.glob("*.pt"))
        if states and torch.load(states[0], weights_only=True)["epoch"] >= kill_after_epoch:
            break
        time.sleep(0.01)
    assert process.poll() is None, "training ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    rerun = run_cli_train(tiny, broken, params_file)
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert "resumed after epoch" in stderr
    a = load_checkpoint(whole / "models" / "massive" / "model.pt")
    b = load_checkpoint(broken / "models" / "massive" / "model.pt")
    assert a["best"] == b["best"]
    assert all(torch.equal(a["state_dict"][k], b["state_dict"][k]) for k in a["state_dict"])
    curve = (broken / "results" / "massive" / "train" / "plots" / "metrics" / "train" / "loss.tsv").read_text()
    whole_curve = (whole / "results" / "massive" / "train" / "plots" / "metrics" / "train" / "loss.tsv").read_text()
    assert curve == whole_curve and len(curve.splitlines()) == 9


def test_a_resume_state_is_only_resumed_by_the_same_code_and_params(tiny, tmp_path, monkeypatch):
    """Killed after epoch 2; a rerun under other code (another fingerprint of the files train runs)
    or with another param that changes the numbers (threads) starts over; the same run resumes."""
    save = train_stage.ResumeState.on_epoch_end

    def save_then_die(self, trainer, row, improved):
        save(self, trainer, row, improved)
        if row["epoch"] == 2:
            raise KeyboardInterrupt

    def run(raw_params: dict, name: str):
        return train_stage.run_train(parse_params(raw_params), "massive", tiny / "features", tiny / "raw",
                                     tmp_path / name / "model.pt", None, tmp_path / "resume")  # fmt: skip

    raw = tiny_params(**{"train.epochs": 4})
    with monkeypatch.context() as patch:
        patch.setattr(train_stage.ResumeState, "on_epoch_end", save_then_die)
        with pytest.raises(KeyboardInterrupt):
            run(raw, "killed")
    assert len(list((tmp_path / "resume").glob("*.pt"))) == 1
    with monkeypatch.context() as patch:
        patch.setattr(train_stage.code, "fingerprint", lambda files: "edited-code")
        assert run(raw, "edited").resumed_from == 0
    assert run(tiny_params(**{"train.epochs": 4, "train.threads": 2}), "threads").resumed_from == 0
    assert run(raw, "same").resumed_from == 2
    assert list((tmp_path / "resume").glob("*.pt")) == []

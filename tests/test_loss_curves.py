"""The comparison chart keeps loss-per-step curves only (``loss_curves.record_losses``)."""

import json

import matplotlib
import pytest

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

from sphinxext.execution.loss_curves import record_losses  # noqa: E402


@pytest.fixture
def figure():
    fig, axes = plt.subplots(1, 3)
    yield fig, axes
    plt.close(fig)


def plot(ax, xlabel, ylabel, label):
    ax.plot([1, 2, 3], [9.0, 3.0, 1.0], label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def test_only_loss_per_step_curves_are_saved(figure, tmp_path):
    _, axes = figure
    plot(axes[0], "step", "loss (sum of squared errors)", "per step")
    plot(axes[1], "epoch", "loss (sum of squared errors)", "per epoch")
    plot(axes[2], "problem size (N × H)", "time per step (ms)", "timing")
    record_losses(None, {"target_file": str(tmp_path / "example.py")}, {})
    record = json.loads((tmp_path / "example.losses.json").read_text())
    assert record == {
        "example": "example",
        "curves": [{"label": "per step", "steps": [1.0, 2.0, 3.0], "losses": [9.0, 3.0, 1.0]}],
    }


def test_no_file_without_a_loss_per_step_curve(figure, tmp_path):
    _, axes = figure
    plot(axes[0], "epoch", "loss (sum of squared errors)", "per epoch")
    plot(axes[1], "problem size (N × H)", "time per step (ms)", "timing")
    record_losses(None, {"target_file": str(tmp_path / "example.py")}, {})
    assert not (tmp_path / "example.losses.json").exists()

"""How one example runs in a process of its own, and how its end is reported.

The process machinery of ``example_runner`` (which decides what runs when):

* :func:`run_job` is the body of a child: it runs the example in its working
  folder (a scratch copy of its source folder, so that nothing it writes
  lands in the source tree; :class:`SourcePaths` names the source in every
  report), pins thread pools, arms
  faulthandler (a crash or a timeout dumps the Python stack), checks each
  cell's captured output (:func:`check_each_cell`), calls sphinx-gallery's
  own ``generate_file_rst``, and pickles the result, or the exception, with
  the warnings logged meanwhile, into the job's result file;
* :class:`ForkServer` is a process that imported the heavy modules once and
  forks a child per job, driven by one JSON line per message over a socket;
* :func:`crash_report` and :func:`location` turn a child that ended without a
  result (a signal, ``os._exit``, a timeout) into a report naming the
  example's file and line.

Every process started here asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG``), so an interrupted build leaves no example running.
"""

from __future__ import annotations

import ctypes
import faulthandler
import json
import logging
import os
import pickle
import re
import select
import signal
import socket
import sys
import traceback
from pathlib import Path

from sphinx.util import logging as sphinx_logging
from sphinx_gallery import gen_rst

from sphinxext.execution import _gallery_state as state

#: Environment every example runs with: one thread per pool, quiet TensorFlow.
CHILD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "MPLBACKEND": "agg",
}

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid):
    """Ask Linux to SIGKILL this process when its parent ends (a no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before prctl
        os._exit(1)


def pin_threads():
    os.environ.update(CHILD_ENV)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def warm_up():
    """Pay the one-time costs of first use once, in the fork server.

    The first matrix product of a process, and the first figure matplotlib
    renders, are much slower than the next ones (kernel selection, lazy
    initialisation, the font cache).  Children forked afterwards inherit the
    warmed-up state.  Thread pools are pinned to one thread first, so no
    thread exists at fork time.
    """
    torch = sys.modules.get("torch")
    if torch is not None:
        # A forward pass on the CPU, and nothing more: a backward pass starts
        # autograd's device threads, and asking for a GPU (an optimizer's
        # step does) sets CUDA up; after either, a forked child can no longer
        # use CUDA ("Cannot re-initialize CUDA in forked subprocess").
        with torch.no_grad():
            layer = torch.nn.Linear(8, 4)
            torch.relu(layer(torch.ones(2, 8))).sum()
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        import io

        fig, ax = pyplot.subplots()
        ax.semilogy([1, 2], [1, 10], label="warm-up")
        ax.set_xlabel("x")
        ax.legend()
        fig.savefig(io.BytesIO(), format="png")
        pyplot.close(fig)


class _Collector(logging.Handler):
    """Keeps the warnings a child logs, to be re-emitted by the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(
            {
                "msg": record.getMessage(),
                "location": getattr(record, "location", None),
                "type": getattr(record, "type", None),
                "subtype": getattr(record, "subtype", None),
            }
        )


def same_file(path, other):
    return os.path.exists(path) and os.path.samefile(path, other)


def user_traceback(exc, src_file):
    """The traceback of ``exc`` from the first frame in the example on."""
    frames = traceback.extract_tb(exc.__traceback__)
    for index, frame in enumerate(frames):
        if same_file(frame.filename, src_file):
            frames = frames[index:]
            break
    return "Traceback (most recent call last):\n" + "".join(
        traceback.format_list(frames) + traceback.format_exception_only(exc)
    )


def check_each_cell(src_file, max_lines):
    """Check every cell's captured output as sphinx-gallery captures it.

    Wraps sphinx-gallery's ``gen_rst.execute_code_block``, which
    ``execute_script`` looks up as a module attribute for each cell and which
    returns that cell's output; only in the example's own process.
    """
    original = gen_rst.execute_code_block

    def execute_code_block(compiler, block, *args, **kwargs):
        code_output = original(compiler, block, *args, **kwargs)
        state.check_output(state.captured_output(code_output), src_file, block.lineno, max_lines)
        return code_output

    gen_rst.execute_code_block = execute_code_block


class SourcePaths:
    """Writes the example's source path where its working copy's path appears."""

    def __init__(self, job, src_root=None):
        self.pairs = []
        if job.get("run_file") and job["run_file"] != job["src_file"]:
            self.pairs = [(job["run_file"], job["src_file"]), (job["run_dir"], job["src_dir"])]
            if src_root:
                # sphinx-gallery names a failed example relative to the source folder.
                self.pairs += [(os.path.relpath(working, src_root), os.path.relpath(source, src_root))
                               for working, source in list(self.pairs)]
        self.target = Path(job["target_dir"], job["fname"]).with_suffix(".rst")

    def fix(self, text):
        if not isinstance(text, str):
            return text
        for working, source in self.pairs:
            text = text.replace(working, source)
        return text

    def fix_records(self, records):
        return [{**r, "msg": self.fix(r["msg"]), "location": self.fix(r["location"])} for r in records]

    def fix_result(self, value):
        """The failure in ``out_vars``, and the page, which shows its traceback."""
        out_vars = value[3]
        if "formatted_exception" in out_vars:
            out_vars["formatted_exception"] = self.fix(out_vars["formatted_exception"])
            if self.pairs and self.target.is_file():
                text = self.target.read_text(encoding="utf-8")
                self.target.write_text(self.fix(text), encoding="utf-8")


def run_job(job, gallery_conf, generate, timeout, parent_pid):
    """Body of a child process: generate one example and report back."""
    result_file = job["result"]
    try:
        die_with_parent(parent_pid)
        err = os.open(result_file + ".stderr", os.O_WRONLY | os.O_CREAT, 0o644)
        os.dup2(err, 2)
        # Stays open until the process ends: faulthandler writes to it on a
        # crash, and when the example runs past its time (naming the line).
        fault = open(result_file + ".fault", "w", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(file=fault)
        faulthandler.dump_traceback_later(timeout, exit=True, file=fault)
        pin_threads()
        sphinx_logger = logging.getLogger(sphinx_logging.NAMESPACE)
        for handler in list(sphinx_logger.handlers):
            sphinx_logger.removeHandler(handler)
        collector = _Collector()
        sphinx_logger.addHandler(collector)
        check_each_cell(job["src_file"], job["max_lines"])
        # sphinx-gallery makes a gallery's folders when it reaches that
        # gallery; a job started ahead of it makes them itself.
        Path(job["target_dir"], "images", "thumb").mkdir(parents=True, exist_ok=True)
        # It runs in its working folder (a copy of its source folder), and
        # every report names its source instead.
        run_dir = job.get("run_dir", job["src_dir"])
        real = SourcePaths(job, gallery_conf.get("src_dir"))
        try:
            value = generate(job["fname"], job["target_dir"], run_dir, gallery_conf)
            real.fix_result(value)
            payload = ("ok", value, real.fix_records(collector.records))
        except BaseException as exc:  # noqa: BLE001 - SystemExit too
            report = real.fix(user_traceback(exc, job.get("run_file", job["src_file"])))
            payload = ("raised", report, real.fix_records(collector.records))
        faulthandler.cancel_dump_traceback_later()
        with open(result_file + ".tmp", "wb") as f:
            pickle.dump(payload, f)
        os.replace(result_file + ".tmp", result_file)
    finally:
        os._exit(0)


def _server_main(sock, preload, run):
    """Fork server: imports ``preload`` once, then forks a child per job."""
    os.environ.update(CHILD_ENV)
    for name in preload:
        try:
            __import__(name)
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            message = {"preload": name, "error": f"{type(exc).__name__}: {exc}"}
            sock.sendall(json.dumps(message).encode() + b"\n")
    pin_threads()
    warm_up()
    running = {}
    buffer = b""
    while True:
        ready, _, _ = select.select([sock], [], [], 0.02 if running else None)
        if ready:
            data = sock.recv(65536)
            if not data:
                break
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                job = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    sock.close()
                    run(job)
                running[pid] = job["key"]
                sock.sendall(json.dumps({"key": job["key"], "pid": pid}).encode() + b"\n")
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            key = running.pop(pid)
            sock.sendall(json.dumps({"key": key, "status": status}).encode() + b"\n")
    os._exit(0)


class ForkServer:
    """A process that preloads modules and forks one child per job.

    Messages back (see :meth:`messages`): ``{"key", "pid"}`` when a child
    started, ``{"key", "status"}`` when it ended, ``{"preload", "error"}``
    when a preload module failed to import.
    """

    def __init__(self, preload, run):
        parent, child = socket.socketpair()
        my_pid = os.getpid()
        pid = os.fork()
        if pid == 0:
            parent.close()
            die_with_parent(my_pid)
            _server_main(child, preload, run)
        child.close()
        self.sock, self.pid = parent, pid
        self.buffer = b""

    def submit(self, job):
        self.sock.sendall(json.dumps(job).encode() + b"\n")

    def messages(self, wait):
        """The messages that arrived within ``wait`` seconds."""
        ready, _, _ = select.select([self.sock], [], [], wait)
        if ready:
            self.buffer += self.sock.recv(65536)
        found = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            found.append(json.loads(line))
        return found

    def stop(self):
        """End the fork server (and free its memory)."""
        self.sock.close()
        os.waitpid(self.pid, 0)


_FRAME = re.compile(r'\s*File "(.+?)", line (\d+)')


def location(src_file, report):
    """``file:line`` of the last frame in ``src_file`` a traceback names."""
    line = None
    for path, number in _FRAME.findall(report):
        if same_file(path, src_file):
            line = number
    # Sphinx itself writes "path:" for a location without a line.
    return f"{src_file}:{line}" if line else f"{src_file}:"


def crash_report(job, status, timeout):
    """Why a child ended without a result, with the example's frames if known."""
    fault = Path(job["result"] + ".fault")
    lines = fault.read_text(encoding="utf-8").splitlines() if fault.exists() else []
    timed_out = job.get("timed_out") or any(line.startswith("Timeout (") for line in lines)
    if timed_out:
        what = f"it ran longer than example_runner_timeout = {timeout:g} s"
    elif os.WIFSIGNALED(status):
        what = f"killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        what = f"its process exited with status {os.WEXITSTATUS(status)}"
        what += " before finishing (os._exit or a native abort?)"
    report = f"The example's process ended abruptly: {what}."
    # faulthandler's dump (most recent call first), cut to the crash and the
    # example's own frames, in a traceback's order (most recent call last).
    frames = []
    ran = job.get("run_file", job["src_file"])
    for line in lines:
        frame = _FRAME.match(line)
        if line.startswith("Fatal Python error"):
            report += "\n" + line
        elif frames and ("thread 0x" in line.lower()):
            break  # the next thread's stack: keep the first that ran the example
        elif frame and same_file(frame.group(1), ran):
            frames.append(line.replace(ran, job["src_file"]))
    if frames:
        report += "\nTraceback (most recent call last):\n" + "\n".join(reversed(frames))
    return report

"""Test helper: run a pipeline stage on an empty mirror named like a real repository."""
import contextlib
import io
import os
import subprocess
import tempfile


def stderr_on_mirror(name: str, run) -> str:
    """Make MIRRORS/<name>/repo (an empty git dir) in a temp folder and call run(git_dir, tmp_folder);
    what it wrote to stderr. The folder is removed afterwards: check files inside `run`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, name, "repo")
        os.makedirs(work)
        subprocess.run(["git", "-C", work, "init", "-q"], check=True)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            run(work, tmp)
        return err.getvalue()

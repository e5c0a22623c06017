"""The service's settings file read as systemd reads an EnvironmentFile, so that the
command line (deploy/yzlogi, --env-file) sees what the service sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yzlogi import envfile
from yzlogi.envfile import EnvFileError

ROOT = Path(__file__).resolve().parents[2]
HASH = "scrypt$32768$8$3$c2FsdHNhbHRzYWx0c2FsdA==$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGk="


def test_assignments_comments_quotes_and_no_expansion():
    text = (
        "# a comment\n"
        "; another\n"
        "\n"
        "YZLOGI_DATA_DIR=/var/lib/yzlogi\n"
        "  SPACED  =  value with  inner  blanks  \n"
        f"YZLOGI_PASSCODE_HASH='{HASH}'\n"
        'DOUBLE="a \\"quoted\\" \\$HOME and \\\\ and \\n kept"\n'
        "BARE=a\\ b\\$c\n"
        "EMPTY=\n"
        "no equals sign here\n"
        "CONTINUED=one \\\n"
        "two\n"
        "MULTI='line one\n"
        "line two'\n"
        "LATER=first\n"
        "LATER=second\n"
    )
    assert envfile.parse(text) == {
        "YZLOGI_DATA_DIR": "/var/lib/yzlogi",
        "SPACED": "value with  inner  blanks",
        "YZLOGI_PASSCODE_HASH": HASH,
        "DOUBLE": 'a "quoted" $HOME and \\ and \\n kept',
        "BARE": "a b$c",
        "EMPTY": "",
        "CONTINUED": "one two",
        "MULTI": "line one\nline two",
        "LATER": "second",
    }


@pytest.mark.parametrize("text, message", [
    ("A='open\n", "第 1 行：单引号没有闭合。"),
    ('\n\nB="open\n', "第 3 行：双引号没有闭合。"),
    ("C='x' y\n", "第 1 行：引号之后还有多余的内容“y”。"),
    ("\n1BAD=x\n", "第 2 行：“1BAD”不是有效的变量名。"),
    ("export D=x\n", "第 1 行：“export D”不是有效的变量名。"),
])
def test_a_broken_file_is_refused_naming_the_line(text, message):
    with pytest.raises(EnvFileError) as refused:
        envfile.parse(text, "/etc/yzlogi/yzlogi.env")
    assert str(refused.value) == f"/etc/yzlogi/yzlogi.env {message}"


def test_the_example_settings_file_parses_to_the_services_settings():
    settings = envfile.load(ROOT / "deploy" / "yzlogi.env.example")
    assert settings == {
        "YZLOGI_DATA_DIR": "/var/lib/yzlogi", "YZLOGI_BACKUP_DIR": "/var/backups/yzlogi", "YZLOGI_BACKUP_KEEP": "14",
        "YZLOGI_TRUSTED_PROXIES": "127.0.0.1", "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_SERVER_PORT": "8501", "STREAMLIT_SERVER_BASE_URL_PATH": "yzlogi",
    }


def test_a_missing_file_is_named():
    with pytest.raises(EnvFileError, match="找不到设置文件 /nonexistent/yzlogi.env。"):
        envfile.load(Path("/nonexistent/yzlogi.env"))


def test_the_command_line_reads_the_file_and_the_environment_wins(tmp_path):
    settings = tmp_path / "yzlogi.env"
    settings.write_text(f"YZLOGI_DATA_DIR={tmp_path / 'from-file'}\nYZLOGI_BACKUP_DIR='{tmp_path / 'backups'}'\n",
                        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("YZLOGI_")}
    show = ("from yzlogi import cli, config; import sys; cli._load_env_file(sys.argv[1]); "
            "print(config.data_dir()); print(config.backup_dir())")
    out = subprocess.run([sys.executable, "-c", show, str(settings)], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(tmp_path / "from-file"), str(tmp_path / "backups")]
    env["YZLOGI_DATA_DIR"] = str(tmp_path / "from-env")
    out = subprocess.run([sys.executable, "-c", show, str(settings)], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(tmp_path / "from-env"), str(tmp_path / "backups")]
    refused = subprocess.run([sys.executable, "-m", "yzlogi", "--env-file", str(tmp_path / "none.env"), "versions"],
                             cwd=ROOT, env=env, capture_output=True, text=True)
    assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", f"找不到设置文件 {tmp_path / 'none.env'}。\n")

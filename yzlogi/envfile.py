"""The service's settings file, read the way systemd reads an EnvironmentFile.

deploy/yzlogi.service hands /etc/yzlogi/yzlogi.env to the app through systemd;
`python -m yzlogi --env-file /etc/yzlogi/yzlogi.env …` (deploy/yzlogi, the
command IT staff run) reads the same file, so that backup, restore and doctor
see the data folder and settings the service sees.

The syntax is systemd's (systemd.exec(5), EnvironmentFile=): one KEY=VALUE per
line; blank lines and lines starting with # or ; are ignored, as are lines
without "="; blanks around the key and the value are dropped. A value may be
'single-quoted' (verbatim, as the passcode hash must be: it holds "$"),
"double-quoted" (backslash escapes \\" \\\\ \\` \\$, and a backslash at the end of
a line continues it) or bare (a backslash keeps the next character). There is
no variable expansion: "$" means itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from yzlogi.errors import YzlogiError

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BLANKS = " \t\r"


class EnvFileError(YzlogiError):
    """A settings file that cannot be read; the message names it and the line."""


def parse(text: str, source: str = "设置文件") -> dict[str, str]:
    """Every assignment of an environment file, in order (a later one wins)."""
    out: dict[str, str] = {}
    i, line, n = 0, 1, len(text)
    while i < n:
        # Skip blanks and empty lines before a key.
        while i < n and text[i] in _BLANKS + "\n":
            line += text[i] == "\n"
            i += 1
        if i >= n:
            break
        if text[i] in "#;":
            i = _line_end(text, i)
            continue
        start_line = line
        end = _line_end(text, i)
        head = text[i:end]
        if "=" not in head:
            i = end  # systemd ignores a line without "="
            continue
        key = head.split("=", 1)[0].strip(_BLANKS)
        i += head.index("=") + 1
        while i < n and text[i] in _BLANKS:
            i += 1
        value, i, line = _value(text, i, line, source)
        if not _KEY.match(key):
            raise EnvFileError(f"{source} 第 {start_line} 行：“{key}”不是有效的变量名。")
        out[key] = value
    return out


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _value(text: str, i: int, line: int, source: str) -> tuple[str, int, int]:
    """The value starting at `i`; the position after it (at its line's end) and the line number."""
    n = len(text)
    if i < n and text[i] == "'":
        close = text.find("'", i + 1)
        if close < 0:
            raise EnvFileError(f"{source} 第 {line} 行：单引号没有闭合。")
        value = text[i + 1:close]
        return value, _rest_of_line(text, close + 1, line + value.count("\n"), source), line + value.count("\n")
    if i < n and text[i] == '"':
        chars, i, opened = [], i + 1, line
        while True:
            if i >= n:
                raise EnvFileError(f"{source} 第 {opened} 行：双引号没有闭合。")
            c = text[i]
            if c == '"':
                break
            if c == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt == "\n":
                    line += 1
                elif nxt in '"\\`$':
                    chars.append(nxt)
                else:
                    chars.append(c + nxt)
                i += 2
                continue
            line += c == "\n"
            chars.append(c)
            i += 1
        return "".join(chars), _rest_of_line(text, i + 1, line, source), line
    chars = []
    while i < n and text[i] != "\n":
        c = text[i]
        if c == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                line += 1
            else:
                chars.append(text[i + 1])
            i += 2
            continue
        chars.append(c)
        i += 1
    return "".join(chars).strip(_BLANKS), i, line


def _rest_of_line(text: str, i: int, line: int, source: str) -> int:
    """After a closing quote only blanks may follow on the line."""
    end = _line_end(text, i)
    if text[i:end].strip(_BLANKS):
        raise EnvFileError(f"{source} 第 {line} 行：引号之后还有多余的内容“{text[i:end].strip()}”。")
    return end


def load(path: Path) -> dict[str, str]:
    """The assignments of the file at `path`; EnvFileError (Chinese) when it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EnvFileError(f"找不到设置文件 {path}。") from None
    except PermissionError:
        raise EnvFileError(f"没有读取设置文件 {path} 的权限：请以服务用户运行（sudo -u yzlogi …）或使用 sudo。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvFileError(f"无法读取设置文件 {path}（{type(exc).__name__}）。") from None
    return parse(text, str(path))

"""The pages' text helpers (web/static/web/text.js), run in Node as the browsers run the module."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

TEXT_JS = Path(__file__).resolve().parent.parent / "static/web/text.js"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None, reason="Node.js not installed (scripts/setup.sh)"
)


def initials(titles):
    script = (
        f"import {{ initial }} from {json.dumps(TEXT_JS.as_uri())};"
        f"console.log(JSON.stringify({json.dumps(titles)}.map((title) => initial(title))));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=30, check=True
    )
    return json.loads(result.stdout)


def is_whole(text):
    return not any(0xD800 <= ord(character) <= 0xDFFF for character in text)


def test_a_poster_placeholder_shows_a_whole_first_character():
    titles = ["🎬 Cinema Paradiso", "👩🏽‍🚀 Astronaut", "  ẞtraße", "éclair", "heat", "", "   "]

    shown = initials(titles)

    assert shown == ["🎬", "👩🏽‍🚀", "ẞ", "É", "H", "?", "?"]
    assert all(is_whole(letter) for letter in shown)


def test_the_poster_placeholder_takes_its_letter_from_the_helper():
    scripts = {path.name: path.read_text() for path in TEXT_JS.parent.glob("*.js")}
    placeholder_builders = [name for name, source in scripts.items() if '"poster none"' in source]

    assert placeholder_builders, "no script builds the poster placeholder"
    for name in placeholder_builders:
        assert 'import { initial } from "./text.js";' in scripts[name], name
    assert not [name for name, source in scripts.items() if "charAt(" in source and name != "text.js"]

"""publish check against Translate Toolkit's pofilter on the seeded-fault fixtures.

Every fault pofilter finds, publish check finds too; where pofilter raises a false alarm on a correct
locale form (7.7亿, 1,1 bilhão, 1,45 °C, una quinta parte, 三分之一), publish check rightly stays silent.
(pofilter compares digit strings, so it accepts 17.8 billones and 12.614 only by luck of the digits.)
"""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from publish.checks import ERROR, run

from .test_checks import CASES, context

POFILTER_TESTS = ["numbers", "urls", "xmltags", "brackets"]
OURS = {"numbers", "urls", "citations", "markup", "raw-html"}
FALSE_ALARMS_EXPECTED = {     # measured with translate-toolkit 3.20.4
    "es": ["una quinta parte"],
    "pt": ["1,1 bilhão", "1,45 °C", "século XXI"],
    "zh": ["7.7亿人", "20世纪70年代和80年代", "三分之一"],
}


@pytest.mark.skipif(shutil.which("pofilter") is None and not shutil.os.path.exists(".venv/bin/pofilter"),
                    reason="pofilter (translate-toolkit) is not installed")
@pytest.mark.parametrize("language", ["es", "pt", "zh"])
def test_every_fault_pofilter_finds_publish_check_finds(tmp_path, language):
    cases = [c for c in CASES if c[1] == language and c[0] in OURS]
    ctx = context(language, [(c[2], c[3]) for c in cases], tmp_path / language / "seeded.po")
    ours = {f.msgctxt for f in run(ctx) if f.severity == ERROR}
    out = tmp_path / "pofilter.po"
    pofilter = shutil.which("pofilter") or ".venv/bin/pofilter"
    subprocess.run([pofilter, *(f"-t{t}" for t in POFILTER_TESTS), f"--language={language}", str(ctx.path),
                    str(out)], check=True, capture_output=True)
    theirs = {e.msgctxt for e in polib.pofile(str(out)) if e.msgid}
    faulty = {f"s/p{n + 1}" for n, c in enumerate(cases) if c[4]}
    missed = (theirs & faulty) - ours
    assert not missed, f"pofilter finds faults that publish check misses: {sorted(missed)}"
    false_alarms = sorted(cases[int(ctx_id.split('/p')[1]) - 1][3] for ctx_id in theirs - faulty)
    # Correct locale forms pofilter rejects and publish check accepts:
    for expected in FALSE_ALARMS_EXPECTED[language]:
        assert any(expected in alarm for alarm in false_alarms), (expected, false_alarms)
    assert not (theirs - faulty) & ours
    # and publish check finds every seeded fault, not only pofilter's share.
    assert faulty <= ours

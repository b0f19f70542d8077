"""The word lists of extractors/deal_type.py's larger patterns live in vocabulary.toml [deal_type]
(one place each); moving them there changed no pattern: each compiles to the text it had when its
words were written inline (recorded below when they were moved), so every sentence is typed as
before."""

from __future__ import annotations

import pytest

from extractors import deal_type

#: the patterns as they were when their word lists were inline (round 8, before the move)
INLINE = {
    "_HARDWARE_SALE": (
        "\\b(?:buy|buys|bought|purchas\\w*|order\\w*|sell|sells|sold|ship\\w*|suppl\\w*|deliver\\w*|builds|built)\\b[^.;]{0,60}\\b(?:servers|accelerators|systems|racks|GPUs|chips)\\b|\\b(?:sells|buys)\\b|\\b(?:server|rack|chip|GPU|accelerator)s?\\s+(?:orders?|purchases?)\\b|\\bbuild\\s+[^.;]{0,60}?\\binto\\s+(?:[\\w-]+\\s+){0,2}?(?:machines|servers|systems|racks|nodes)\\b"
    ),
    "_SITE_LEASED_FROM": (
        "\\b(?:campus|site|facility|data[- ]?cent(?:er|re)|buildings?|halls?)\\b[^.;]{0,60}\\b(?:leas(?:ed|ing|es|e)|rent(?:s|ed|ing)?)\\s+from\\b|\\b(?:leas(?:ed|ing|es|e)|rent(?:s|ed|ing)?)\\s+(?:the\\s+|its\\s+|their\\s+)?(?:[\\w-]+\\s+){0,2}?(?:campus(?:es)?|sites?|facilit(?:y|ies)|data[- ]?cent(?:er|re)s?|buildings?|halls?|land)\\s+from\\b"
    ),
    "_GPU_RENTAL": ("\\b(?:GPUs?|accelerators|chips|TPUs?|GB\\d+|H\\d00s?|B\\d00s?)\\b"),
    "_DATACENTER": (
        "\\bcolocation\\b|\\bcolo\\b|\\bcritical\\s+IT\\b|\\bIT\\s+load\\b|\\bdata[- ]?cent(?:er|re)\\s+(?:capacity|space|lease|campus)|\\bmegalease\\b|\\bleas(?:e|es|ed|ing)\\b[^.;]{0,60}\\b(?:campus|data[- ]?cent(?:er|re)|site|building|halls?|megawatts?)\\b|\\bleas(?:e|es|ed|ing)\\b[^.;]{0,60}(?<![A-Za-z])MW\\b|\\b(?:campus|halls|buildings)\\b[^.;]{0,40}\\bleas(?:e|es|ed|ing)\\b|\\bpowered shell|\\bbuild-to-suit|\\blandlord\\b|\\btenant\\s+(?:at|of|in|on)\\s+[^.;]{0,60}?\\b(?:campus|data[- ]?cent(?:er|re)|site|facility)\\b|\\b(?:leas|rent)\\w*\\s+(?:[\\w-]+\\s+){0,2}?space\\b|\\b\\d[\\d.,]*\\s*(?:MW|megawatts?)\\s+(?:at|in)\\s+[^.;]{0,40}?\\b(?:campus|data[- ]?cent(?:er|re)|building|halls?)\\b|\\b\\d[\\d.,]*\\s*(?:MW|megawatts?)\\b(?!\\s+of\\s+(?:[\\w-]+\\s+){0,2}?(?:GPU|comput|AI|inference|training|cloud|accelerat))[^.;]{0,40}?\\bleas(?:e|es|ed|ing)\\b|\\b\\d[\\d.,]*[\\s-]*(?:MW|megawatts?)\\s+(?:building|hall|campus|data[- ]?cent(?:er|re))s?\\b"
    ),
}


@pytest.mark.parametrize("name", sorted(INLINE))
def test_a_pattern_built_from_the_vocabulary_is_the_one_written_inline(name):
    assert getattr(deal_type, name).pattern == INLINE[name]

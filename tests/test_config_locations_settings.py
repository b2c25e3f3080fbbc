"""The [locations] and [vli] settings: defaults written by `safer init`, read back, and checked."""

from __future__ import annotations

import pytest

from safer.config import load_config, render_default_config
from safer.errors import ConfigError


def _write(tmp_path, text):
    path = tmp_path / "safer.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_init_template_documents_the_defaults(tmp_path):
    text = render_default_config()
    for setting in ("top_n = [4, 10]", "grid_cell_metres = 250", "permutations = 999", 'correction = "fdr"',
                    "hotspot_period_months = 3", 'indicators = ""', "lower_is_more_vulnerable = []"):
        assert setting in text
    config = load_config(_write(tmp_path, text))
    assert config.concentration_top_n == (4, 10)
    assert (config.grid_cell_metres, config.hotspot_permutations, config.hotspot_correction) == (250.0, 999, "fdr")
    assert config.vli_indicators is None and config.vli_indicators_path is None


def test_settings_are_read(tmp_path):
    text = render_default_config().replace("top_n = [4, 10]", "top_n = [3, 5, 20]") \
        .replace('correction = "fdr"', 'correction = "holm"') \
        .replace('indicators = ""', 'indicators = "vli.csv"') \
        .replace("weights = {}", "weights = { burglary = 2, income_deprivation = 0.5 }")
    config = load_config(_write(tmp_path, text))
    assert config.concentration_top_n == (3, 5, 20)
    assert config.hotspot_correction == "holm"
    assert config.vli_indicators_path == tmp_path / "vli.csv"
    assert dict(config.vli_weights) == {"burglary": 2.0, "income_deprivation": 0.5}


@pytest.mark.parametrize("old, new, message", [
    ('correction = "fdr"', 'correction = "bonferroni"', "locations.correction"),
    ("grid_cell_metres = 250", "grid_cell_metres = 2", "locations.grid_cell_metres"),
    ("top_n = [4, 10]", 'top_n = ["four"]', "locations.top_n"),
    ("permutations = 999", "permutations = -5", "locations.permutations"),
    ("weights = {}", 'weights = { burglary = "high" }', "vli.weights"),
])
def test_bad_settings_name_the_setting(tmp_path, old, new, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, render_default_config().replace(old, new)))

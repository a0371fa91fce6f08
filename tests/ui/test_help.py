"""Help: the bilingual concept texts, the live numbers they quote (σ′(z) at the sigmoid marker,
H, KL, a − y), the Help menu, View → Language, and the tour that highlights each dock in turn."""
import json
import math
import re

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from scipy.special import expit
from scipy.stats import entropy as scipy_entropy

from explorer import i18n
from explorer.model import AppModel
from explorer.ui import preferences
from explorer.ui.docks import DOCK_NAMES
from explorer.ui.docks.help_dock import HELP_FILE, TOPIC_FIELDS, topic_keys, tour_text
from explorer.ui.main_window import MainWindow
from explorer.ui.tour import dock_rect

RAW = json.loads(HELP_FILE.read_text(encoding="utf-8"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def _shared(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("help-window")
    win = MainWindow(AppModel(), settings=QSettings(str(folder / "s.ini"), QSettings.IniFormat),
                     restore_layout=False)
    win.resize(1600, 1000)
    win.show()
    yield win
    win.close()
    win.deleteLater()


@pytest.fixture
def win(_shared, qtbot):
    if _shared.model.to_dict() != AppModel().to_dict():
        _shared.model.from_dict(AppModel().to_dict())
    if _shared.saveState() != _shared._default_state:
        _shared.reset_layout()
    qtbot.waitExposed(_shared)
    yield _shared
    if i18n.language() != "en":
        i18n.set_language("en")


def _text(dock):
    return dock.browser.toPlainText()


# ------------------------------------------------------------------------------ content
def test_every_topic_in_both_languages_with_the_same_placeholders():
    assert RAW["order"] == topic_keys()
    assert {"self_information", "entropy", "cross_entropy", "kl_divergence", "log_zero",
            "mse_vs_ce", "softmax_ce"} <= set(topic_keys())
    for key in topic_keys():
        en, zh = RAW["en"]["topics"][key], RAW["zh"]["topics"][key]
        for field in TOPIC_FIELDS:
            assert en[field].strip() and zh[field].strip(), (key, field)
            assert en[field] != zh[field], (key, field)
        assert set(PLACEHOLDER.findall(en["live"])) == set(PLACEHOLDER.findall(zh["live"])), key


def test_chinese_uses_the_standard_terms():
    zh = json.dumps(RAW["zh"], ensure_ascii=False)
    for term in ("自信息", "熵", "交叉熵", "相对熵", "KL散度", "均方误差", "梯度消失", "激活函数", "梯度"):
        assert term in zh, term
    assert RAW["zh"]["topics"]["kl_divergence"]["title"] == "相对熵（KL散度）"
    # the Chinese pages are written in Chinese (few Latin words besides formulas)
    for key in topic_keys():
        body = re.sub(r"<[^>]+>", "", RAW["zh"]["topics"][key]["body"])
        assert len(re.findall(r"[\u4e00-\u9fff]", body)) > 40, key


def test_every_dock_has_tour_text_in_both_languages():
    for lang in ("en", "zh"):
        for name in DOCK_NAMES:
            assert name in RAW[lang]["tour"], (lang, name)
    assert tour_text("unknownDock", "Mystery", "en") == "Mystery: rest the pointer on its controls to see what they do."


def test_every_placeholder_is_filled(win):
    dock = win.docks["helpDock"]
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        for key in topic_keys():
            page = dock.html(key)
            assert not PLACEHOLDER.search(re.sub(r"<style.*?</style>", "", page)), (lang, key)


# ------------------------------------------------------------------------------ live numbers
def test_sigmoid_topic_shows_current_sigma_prime(win, qtbot):
    model, dock = win.model, win.docks["helpDock"]
    win.help_actions.show_topic("mse_vs_ce")              # Help → "Why MSE stalls …"
    for z in (3.0, -6.5, 0.0):
        model.set_z_marker(z)
        a = float(expit(z))
        d = a * (1 - a)                                   # independent of the app's maths
        x, y = model.sigmoid_x, model.sigmoid_y
        text = _text(dock)
        assert f"z = {z:.2f}".replace("-", "−") in text
        assert f"σ′(z) = {d:.4f}" in text, text
        assert f"= {(a - y) * d * x:.4f}".replace("-", "−") in text          # MSE ∂L/∂w
        assert f"= {(a - y) * x:.4f}".replace("-", "−") in text              # CE ∂L/∂w
        assert f"{2 + 2 * math.cosh(z):.2f} times" in text


def test_information_topics_follow_p_q_and_unit(win):
    model, dock = win.model, win.docks["helpDock"]
    p, q = [0.5, 0.25, 0.125, 0.125], [0.25, 0.25, 0.25, 0.25]
    model.set_distributions(p, q, ["a", "b", "c", "d"])
    model.set_unit("bits")
    win.help_actions.show_topic("entropy")
    assert f"H(p) = {scipy_entropy(p, base=2):.4f} bits" in _text(dock)         # 1.7500
    assert "log N = 2.0000 bits" in _text(dock)
    dock.set_topic("kl_divergence")
    assert f"D_KL(p‖q) = {scipy_entropy(p, q, base=2):.4f} bits" in _text(dock)  # 0.2500
    model.set_q([0.5, 0.5, 0.0, 0.0])
    dock.set_topic("log_zero")
    assert "impossible although p does not: c, d." in _text(dock)
    assert "eps clipping is off" in _text(dock)
    model.set_eps(True, 1e-6)
    assert "eps clipping is on (eps = 1e-06)" in _text(dock)


def test_softmax_topic_shows_a_minus_y(win):
    model, dock = win.model, win.docks["helpDock"]
    win.help_actions.show_topic("softmax_ce")
    z = np.array(model.softmax_logits)
    a = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    y = np.array(model.p)                                  # target y = p (3 logits, 3 classes)
    text = _text(dock)
    for value in a - y:
        assert f"{value:.4f}".replace("-", "−") in text


# ------------------------------------------------------------------------------ menus
def test_help_menu_opens_each_concept_in_the_help_dock(win, qtbot):
    dock = win.docks["helpDock"]
    assert dock.visibleRegion().isEmpty()                  # a tab behind the readouts at start
    for key in topic_keys():
        act = win.help_actions.topic_actions[key]
        assert act in win.help_menu.actions() and act.text() == RAW["en"]["topics"][key]["title"]
        act.trigger()
        qtbot.wait(10)
        assert dock.topic == key and not dock.visibleRegion().isEmpty()
        assert _text(dock).startswith(RAW["en"]["topics"][key]["title"])
        assert dock.topic_combo.currentData() == key


def test_topic_combo_is_keyboard_driven(win, qtbot):
    dock = win.docks["helpDock"]
    win.help_actions.show_topic("entropy")
    qtbot.keyClick(dock.topic_combo, Qt.Key_Down)
    assert dock.topic == topic_keys()[topic_keys().index("entropy") + 1]
    assert dock.topic_combo.toolTip()


def test_language_menu_switches_help_and_is_remembered(win, qtbot):
    dock = win.docks["helpDock"]
    dock.set_topic("kl_divergence")
    win.prefs.language_actions["zh"].trigger()             # View → Language → 简体中文
    assert i18n.language() == "zh" and win.settings.value(preferences.LANG_KEY) == "zh"
    assert _text(dock).startswith("相对熵（KL散度）")
    assert win.help_actions.topic_actions["entropy"].text() == "熵"
    assert win.prefs.language_actions["zh"].isChecked()
    assert preferences.initial_language(win.settings) == "zh"
    win.prefs.language_actions["en"].trigger()
    assert i18n.language() == "en" and _text(dock).startswith("Relative entropy (KL divergence)")
    assert win.settings.value(preferences.LANG_KEY) == "en"


def test_initial_language_option_then_saved_then_locale(tmp_path, monkeypatch):
    s = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)

    class FakeLocale:
        def __init__(self, name):
            self._name = name

        def name(self):
            return self._name

    monkeypatch.setattr(preferences.QLocale, "system", staticmethod(lambda: FakeLocale("zh_CN")))
    assert preferences.initial_language(s) == "zh"                 # nothing saved: the locale
    monkeypatch.setattr(preferences.QLocale, "system", staticmethod(lambda: FakeLocale("de_DE")))
    assert preferences.initial_language(s) == "en"
    s.setValue(preferences.LANG_KEY, "zh")
    assert preferences.initial_language(s) == "zh"                 # the saved choice
    assert preferences.initial_language(s, "en") == "en"           # --lang wins
    s.setValue(preferences.LANG_KEY, "klingon")
    assert preferences.initial_language(s) == "en"                 # garbage ignored


# ------------------------------------------------------------------------------ tour
def test_tour_highlights_each_dock_in_turn(win, qtbot):
    win.docks["softmaxDock"].close()                       # a closed dock is shown for its step
    qtbot.wait(10)
    win.help_actions.act_tour.trigger()                    # Help → Tour
    tour = win.help_actions.tour
    assert tour.active and tour.bubble.isVisible() and tour.highlight.isVisible()
    seen = []
    for i, name in enumerate(win.docks):
        qtbot.wait(10)
        dock = win.docks[name]
        assert tour.current_dock is dock
        seen.append(name)
        assert tour.highlight_rect == dock_rect(win, dock).intersected(win.rect())
        assert not dock.visibleRegion().isEmpty(), name   # brought to the front
        assert tour.title_label.text() == f"<b>{dock.windowTitle()}</b>"
        assert tour.text_label.text() == RAW["en"]["tour"][name]
        assert tour.step_label.text() == f"Step {i + 1} of {len(win.docks)}"
        bubble = tour.bubble.geometry()
        assert win.rect().contains(bubble), name          # the bubble stays inside the window
        assert tour.back_button.isEnabled() == (i > 0)
        assert tour.next_button.text() == ("&Finish" if i == len(win.docks) - 1 else "&Next →")
        qtbot.mouseClick(tour.next_button, Qt.LeftButton)
    assert seen == list(win.docks)
    assert not tour.active and not tour.bubble.isVisible() and not tour.highlight.isVisible()
    qtbot.wait(10)
    assert not win.docks["softmaxDock"].isVisible()        # closed again, as before the tour
    assert not win.docks["readoutsDock"].visibleRegion().isEmpty()   # front tab restored


def test_tour_back_and_escape(win, qtbot):
    tour = win.help_actions.start_tour()
    qtbot.mouseClick(tour.next_button, Qt.LeftButton)
    qtbot.mouseClick(tour.next_button, Qt.LeftButton)
    assert tour.index == 2
    qtbot.mouseClick(tour.back_button, Qt.LeftButton)
    assert tour.index == 1 and tour.current_dock is win.docks[list(win.docks)[1]]
    qtbot.keyClick(tour.next_button, Qt.Key_Escape)
    assert not tour.active and not tour.bubble.isVisible()


def test_likelihood_and_perplexity_topics_show_the_live_numbers(win):
    """Issue 17: the sample's log-likelihood and the perplexities appear in help."""
    import math
    from scipy.stats import entropy as sp_entropy
    model = win.model
    model.set_distributions([0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125])
    model.draw_samples(250)
    dock = win.docks["helpDock"]
    dock.set_topic("likelihood")
    text = dock.browser.toPlainText()
    q = np.asarray(model.q)
    loglik = float(np.sum(np.log(q[model.sample_numbers.events])))
    assert "250 events" in text and f"{loglik:.4f}".replace("-", "−") in text
    dock.set_topic("perplexity")
    text = dock.browser.toPlainText()
    assert f"{2 ** sp_entropy([0.5, 0.25, 0.125, 0.125], base=2):.2f} faces" in text
    assert f"{math.exp(sp_entropy([0.5, 0.25, 0.125, 0.125]) + sp_entropy([0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125])):.2f} faces" in text

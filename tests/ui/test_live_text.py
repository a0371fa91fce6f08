"""LiveText (explorer/ui/widgets/training_common.py): a label whose text changes on every frame
grows for another line but never re-lays out its dock; a change of digits alone is not even
laid out again (it wraps the same where the font's digits share one width)."""
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from explorer.ui.widgets.training_common import LiveText, _digits_as_zero

WORDS = ("Log-likelihood of the sample under q: log L = Σ log q(x) = −n × mean(−log q) = "
         "−{n} × {m} = {ll} nats, the mean surprise approaching H(p, q).")


def _box(rich=False):
    top = QWidget()
    layout = QVBoxLayout(top)
    text = LiveText("t", rich=rich)
    layout.addWidget(text)
    top.resize(260, 200)
    top.show()
    QApplication.processEvents()
    return top, text


def test_a_change_of_digits_alone_is_not_laid_out_again(qapp):
    top, text = _box()
    calls = []
    real = text.label.heightForWidth
    text.label.heightForWidth = lambda w: calls.append(w) or real(w)
    text.setText(WORDS.format(n=1, m="0.5000", ll="−0.5000"))
    assert len(calls) == 1
    for k in range(2, 10):                    # the same shape: n one digit, m four decimals
        text.setText(WORDS.format(n=k, m=f"{0.5 + k / 100:.4f}", ll=f"−{k * 0.52:.4f}"))
    assert len(calls) == 1
    assert text.text() == WORDS.format(n=9, m="0.5900", ll="−4.6800")
    top.close()


def test_a_longer_text_still_grows_the_box(qapp):
    top, text = _box()
    text.setText(WORDS.format(n=1, m="0.5", ll="−0.5"))
    QApplication.processEvents()
    height = text.height()
    text.setText(WORDS.format(n=123456789, m="0.51234567890123", ll="−63252.1234567890123"))
    QApplication.processEvents()
    assert text.height() >= text.label.heightForWidth(text.width())
    assert text.height() > height
    top.close()


def test_only_the_words_digits_count_not_the_tags_or_entities():
    assert _digits_as_zero("<span style='color:#1f77b4'>n = 1 234</span> &#8722;5.25") == \
        "<span style='color:#1f77b4'>n = 0 000</span> &#8722;0.00"

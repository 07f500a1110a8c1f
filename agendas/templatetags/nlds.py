"""Form widgets in the NL Design System's classes (utrecht-textbox, -textarea, -select, -checkbox), for
templates/_field.html. Django still adds aria-describedby (help text, error) and aria-invalid itself."""

from django import template

register = template.Library()

_CLASSES = {
    "textarea": ("utrecht-textarea utrecht-textarea--html-textarea", "utrecht-textarea--invalid"),
    "select": ("utrecht-select utrecht-select--html-select", "utrecht-select--invalid"),
    "selectmultiple": ("utrecht-select utrecht-select--html-select", "utrecht-select--invalid"),
    "checkbox": ("utrecht-checkbox utrecht-checkbox--html-input", "utrecht-checkbox--invalid"),
}
_TEXTBOX = ("utrecht-textbox utrecht-textbox--html-input", "utrecht-textbox--invalid")
_AS_IS = {"file", "clearablefile", "hidden", "radio", "checkboxselectmultiple"}


@register.simple_tag
def nlds_widget(field):
    """Render ``field``'s widget with the design system's class for its kind (its own classes kept)."""
    kind = field.widget_type
    if kind in _AS_IS:
        return field.as_widget()
    base, invalid = _CLASSES.get(kind, _TEXTBOX)
    classes = [field.field.widget.attrs.get("class", ""), base, invalid if field.errors else ""]
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})

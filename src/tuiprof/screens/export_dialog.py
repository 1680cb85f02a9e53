"""The export dialog (``e``): format, output path, graph thresholds and scope.

The app pushes it with plain values::

    self.push_screen(ExportDialog(profile, selected_fid, filter_text, remembered=choices))

It offers the input's folder (the current folder when that is not writable),
or what ``remembered`` holds from the session's last export, and says where
it will write. It writes the file itself (in a thread, through
:func:`tuiprof.export.request.export_profile`), notifies the path written or
the error, asks before overwriting an existing file, and dismisses with the
:class:`~tuiprof.export.request.ExportRequest` it carried out, or None when
cancelled.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from tuiprof.actions import bindings_for
from tuiprof.export.atomic import ExportError, check_target
from tuiprof.export.dot import DEFAULT_EDGE_THRESHOLD, DEFAULT_NODE_THRESHOLD
from tuiprof.export.request import (
    ExportChoices,
    ExportFormat,
    ExportRequest,
    ExportResult,
    default_folder,
    export_profile,
    output_in,
    parse_threshold,
    suffix_conflict,
)
from tuiprof.model.names import visible, visible_name
from tuiprof.model.profile import Profile
from tuiprof.screens.confirm import ConfirmOverwrite, ConfirmSuffix
from tuiprof.views._textual_hacks import KeysFooter

NARROW_BELOW = 74
"""Below this many columns the four formats take two rows, the two thresholds one each."""
TINY_BELOW = 54
"""Below this many columns the formats take a row each."""

FORMAT_TITLES = {
    ExportFormat.CALLGRIND: "callgrind (KCachegrind)",
    ExportFormat.DOT: "dot (Graphviz)",
    ExportFormat.SVG: "svg",
    ExportFormat.PNG: "png",
}


class PlainRadioButton(RadioButton):
    """A radio button that reads without colour: ``(•)`` chosen, ``( )`` not.

    Textual draws both states with the same glyph and tells them apart by
    colour alone, which is lost under ``NO_COLOR`` and in 16 colours.
    """

    @property
    def _button(self) -> Content:
        # Textual 8.2 builds the glyph in this private property (ToggleButton).
        return Content.assemble("(", ("•" if self.value else " ", "bold"), ")")


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Export the profile to callgrind, dot, svg or png.

    | Key | Does |
    |---|---|
    | `enter` | export (asks first if the file exists) |
    | `escape` | close without exporting |
    """

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
        scrollbar-size-vertical: 1;
    }
    ExportDialog .title { text-style: bold; }
    ExportDialog RadioSet { width: 100%; }
    ExportDialog #format { layout: horizontal; }
    ExportDialog #format RadioButton { width: auto; }
    ExportDialog #thresholds { height: auto; layout: horizontal; }
    ExportDialog #thresholds Horizontal { width: auto; height: auto; }
    ExportDialog #thresholds Input { width: 12; }
    ExportDialog #thresholds Label { padding: 1 1 0 0; }
    ExportDialog.-narrow #format, ExportDialog.-tiny #format {
        layout: grid; grid-size: 2; grid-columns: auto auto; grid-rows: 1; height: auto;
    }
    ExportDialog.-tiny #format { grid-size: 1; }
    ExportDialog.-tiny #thresholds Horizontal { width: 100%; }
    ExportDialog.-tiny #thresholds Input { width: 1fr; }
    ExportDialog.-narrow #thresholds, ExportDialog.-tiny #thresholds { layout: vertical; }
    ExportDialog.-narrow #thresholds Label, ExportDialog.-tiny #thresholds Label {
        width: 26; text-align: right;
    }
    ExportDialog .note { width: 1fr; height: auto; }
    ExportDialog #target { color: $text-muted; }
    ExportDialog #error { color: $error; display: none; }
    ExportDialog #error.shown { display: block; }
    ExportDialog #buttons { height: auto; }
    ExportDialog #buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("export")
    # Not annotated ClassVar: Textual's Screen declares it as its instances' (mypy).
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-tiny"),
        (TINY_BELOW, "-narrow"),
        (NARROW_BELOW, "-wide"),
    ]

    def __init__(
        self,
        profile: Profile,
        selected: int | None = None,
        filter_text: str = "",
        default_path: str | Path | None = None,
        remembered: ExportChoices | None = None,
    ) -> None:
        """
        Args:
            profile: The loaded profile.
            selected: The selected function's number, for the subtree scope;
                None (or -1, or any number not in the profile) when none is.
            filter_text: The function table's filter, for the filter scope.
            default_path: The output path to offer; by default the callgrind
                file named after the first input, in its folder when that is
                writable, else in the current folder.
            remembered: The session's last export: its format, folder and
                thresholds are offered instead of the defaults.
        """
        super().__init__()
        self.profile = profile
        in_profile = selected is not None and 0 <= selected < len(profile)
        self.selected = selected if in_profile else None
        self.filter_text = filter_text.strip()
        first = profile.files[0] if profile.files else "profile"
        self.remembered = remembered
        if default_path is not None:
            self.default_path = Path(default_path)
        elif remembered is not None:
            self.default_path = output_in(remembered.folder, first, remembered.format)
        else:
            self.default_path = output_in(default_folder(first), first, ExportFormat.CALLGRIND)
        self._suggested_path = str(self.default_path)
        """The path the dialog offered; the user's own path no longer follows the format."""
        self._writing = False

    def compose(self) -> ComposeResult:
        # It scrolls when the notes, wrapped to its width, are more than the screen holds.
        with VerticalScroll():
            yield Label("Export the profile", classes="title")
            with RadioSet(id="format") as formats:
                formats.border_title = "Format"
                for fmt, title in FORMAT_TITLES.items():
                    yield PlainRadioButton(title, value=fmt is self._initial_format(), id=fmt.value)
            path = Input(str(self.default_path), id="path")
            path.border_title = "Output file"
            yield path
            yield Label(
                self._target_text(str(self.default_path)),
                id="target",
                classes="note",
                markup=False,
            )
            node, edge = DEFAULT_NODE_THRESHOLD, DEFAULT_EDGE_THRESHOLD
            if self.remembered is not None:
                node, edge = self.remembered.node_threshold, self.remembered.edge_threshold
            # Side by side; one under the other on a narrow screen.
            with Vertical(id="thresholds"):
                with Horizontal():
                    yield Label("Graph: hide nodes under %")
                    yield Input(f"{node:g}", type="number", id="node")
                with Horizontal():
                    yield Label("edges under %")
                    yield Input(f"{edge:g}", type="number", id="edge")
            with RadioSet(id="scope") as scopes:
                scopes.border_title = "Functions"
                yield PlainRadioButton("the whole profile", value=True, id="whole")
                under = "the selected function" if self.selected is None else self._selected_name()
                yield PlainRadioButton(
                    Content(f"the subtree under {under}"),
                    id="subtree",
                    disabled=self.selected is None,
                )
                shown = f"'{self.filter_text}'" if self.filter_text else "(no filter)"
                yield PlainRadioButton(
                    Content(f"the functions the filter shows: {shown}"),
                    id="filter",
                    disabled=not self.filter_text,
                )
            yield Label("", id="error", classes="note", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")
        yield KeysFooter()  # the dialog's keys, not those of the screen below

    def on_mount(self) -> None:
        # Pushed while the app is quitting (``q`` then ``e``), the dialog is
        # mounted without its children: there is nothing to focus.
        path = self.query_one_optional("#path", Input)
        if path is not None:
            path.focus()

    def _initial_format(self) -> ExportFormat:
        for fmt in ExportFormat:
            if self.default_path.suffix == fmt.suffix:
                return fmt
        return ExportFormat.CALLGRIND

    def _selected_name(self) -> str:
        assert self.selected is not None
        name = visible_name(self.profile.keys[self.selected])
        return name if len(name) <= 40 else name[:39] + "…"

    @staticmethod
    def _target_text(text: str) -> str:
        """Where the path in the box writes, in full, and whether that file exists."""
        if not text.strip():
            return "Writes: (give an output file)"
        target = Path(os.path.abspath(Path(text.strip()).expanduser()))
        exists = "  (exists: asks before replacing it)" if target.exists() else ""
        return f"Writes: {target}{exists}"

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#target", Label).update(self._target_text(event.value))

    @on(RadioSet.Changed, "#format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        """Follow the format with the path's suffix until the user edits the path."""
        path_input = self.query_one("#path", Input)
        if path_input.value != self._suggested_path or event.pressed.id is None:
            return
        path = Path(path_input.value)
        suffix = ExportFormat(event.pressed.id).suffix
        self._suggested_path = str(
            path.with_suffix(suffix) if path.suffix else path.parent / (path.name + suffix)
        )
        path_input.value = self._suggested_path

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self._writing:
            self.dismiss(None)

    def action_export(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "cancel":
            self.action_cancel()
            return
        if self._writing:
            return
        try:
            request = self.request()
        except ValueError as error:
            self._show_error(str(error))
            return
        try:
            # A folder, a missing folder, an input of the export: said before any
            # question (overwrite a folder?) is asked.
            check_target(request.path, force=True, inputs=self.profile.files)
        except ExportError as error:
            self._show_error(str(error))
            return
        named = suffix_conflict(request.path, request.format)
        if named is None:
            self._confirm_overwrite(request)
            return

        def answered(write: bool | None) -> None:
            if write:
                self._confirm_overwrite(request)

        self.app.push_screen(ConfirmSuffix(request.path, request.format, named), answered)

    def _confirm_overwrite(self, request: ExportRequest) -> None:
        if request.path.exists() or request.path.is_symlink():

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self._start(replace(request, force=True))

            self.app.push_screen(ConfirmOverwrite(request.path), answered)
            return
        self._start(request)

    def request(self) -> ExportRequest:
        """The export the dialog describes; ValueError for what cannot be exported."""
        pressed = self.query_one("#format", RadioSet).pressed_button
        fmt = ExportFormat(pressed.id) if pressed is not None and pressed.id else ExportFormat.DOT
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise ValueError("give an output file")
        thresholds = [DEFAULT_NODE_THRESHOLD, DEFAULT_EDGE_THRESHOLD]
        for i, (widget_id, what) in enumerate((("#node", "node"), ("#edge", "edge"))):
            try:
                thresholds[i] = parse_threshold(self.query_one(widget_id, Input).value, what)
            except ValueError:
                # Only a graph uses them: a callgrind export does not stop on them.
                if fmt is not ExportFormat.CALLGRIND:
                    raise
        scope = self.query_one("#scope", RadioSet).pressed_button
        scope_id = scope.id if scope is not None else "whole"
        return ExportRequest(
            format=fmt,
            path=Path(text).expanduser(),
            node_threshold=thresholds[0],
            edge_threshold=thresholds[1],
            roots=(self.selected,) if scope_id == "subtree" and self.selected is not None else (),
            filter_text=self.filter_text if scope_id == "filter" else "",
        )

    def _start(self, request: ExportRequest) -> None:
        self._writing = True
        self._show_error("")
        self._write(request)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, request: ExportRequest) -> None:
        try:
            result = export_profile(self.profile, request)
        except ExportError as error:
            self.app.call_from_thread(self._failed, str(error))
        else:
            self.app.call_from_thread(self._done, request, result)

    def _done(self, request: ExportRequest, result: ExportResult) -> None:
        self._writing = False
        if result.problem is not None:
            self.app.notify(
                visible(result.problem),
                title="Export",
                severity="warning",
                timeout=12,
                markup=False,
            )
        else:
            self.app.notify(visible(f"Wrote {result.path}"), title="Export", markup=False)
        self.dismiss(replace(request, path=result.path))

    def _failed(self, message: str) -> None:
        self._writing = False
        self._show_error(message)
        self.app.notify(
            visible(message), title="Export failed", severity="error", timeout=10, markup=False
        )

    def _show_error(self, message: str) -> None:
        error = self.query_one("#error", Label)
        error.update(Content(visible(message)))
        error.set_class(bool(message), "shown")
        if message:
            error.scroll_visible(animate=False)

"""Running programs and libraries written for onnxruntime on Onyx, unchanged: after install_as_onnxruntime(),
`import onnxruntime` in any module gives the `onyx` package, and `onnxruntime.X` gives `onyx.X` where Onyx has
that module (onnxruntime.capi, onnxruntime.capi.onnxruntime_pybind11_state, onnxruntime.capi._pybind_state,
onnxruntime.capi.onnxruntime_inference_collection, onnxruntime.backend, onnxruntime.quantization and its
submodules). Other onnxruntime submodules (transformers, training, tools) are not there: importing one raises
ModuleNotFoundError naming it.

The alias is made with a finder at the head of sys.meta_path and entries in sys.modules, so it works whether or
not the real onnxruntime is installed, and nothing of the real package is loaded. It does not change package
metadata: importlib.metadata.version("onnxruntime") still names the installed onnxruntime (or raises
PackageNotFoundError), and onnxruntime.__version__ is Onyx's version.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

_ALIAS = "onnxruntime"


def _target(fullname: str) -> str:
    return "onyx" + fullname[len(_ALIAS):]


class _AliasLoader(importlib.abc.Loader):
    """Loads onnxruntime.X by importing onyx.X and putting that very module in sys.modules under the alias
    (importlib returns what the loader leaves in sys.modules, so both names give one module object)."""

    def __init__(self, target: str) -> None:
        self._target = target

    def create_module(self, spec):
        return None  # a placeholder; exec_module replaces it

    def exec_module(self, module) -> None:
        sys.modules[module.__name__] = importlib.import_module(self._target)


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        onyx_name = _target(fullname)
        try:
            found = importlib.util.find_spec(onyx_name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            raise ModuleNotFoundError(
                f"No module named '{fullname}': onnxruntime is Onyx here (onyx.install_as_onnxruntime), "
                f"and Onyx has no counterpart of '{fullname}'", name=fullname)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(onyx_name),
                                               is_package=found.submodule_search_locations is not None)


_finder = _AliasFinder()


def install_as_onnxruntime() -> None:
    """Makes `import onnxruntime` (and the onnxruntime.capi modules libraries use) give Onyx, for the rest of
    this process. Call it before the program or library imports onnxruntime; from the command line,
    `python -m onyx.as_onnxruntime program.py ARGS` does it for a program without editing it.

    Raises RuntimeError when the real onnxruntime is already imported: modules holding it would keep running
    on it. Calling it again is harmless."""
    current = sys.modules.get(_ALIAS)
    onyx = importlib.import_module("onyx")
    if current is not None and current is not onyx:
        raise RuntimeError(
            "onnxruntime is already imported (from "
            f"{getattr(current, '__file__', '?')}); call onyx.install_as_onnxruntime() before anything imports it")
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    sys.modules[_ALIAS] = onyx
    for name in ("capi", "capi.onnxruntime_pybind11_state", "capi._pybind_state",
                 "capi.onnxruntime_inference_collection"):
        sys.modules[f"{_ALIAS}.{name}"] = importlib.import_module(f"onyx.{name}")


def uninstall_as_onnxruntime() -> None:
    """Undoes install_as_onnxruntime for later imports; modules that already imported `onnxruntime` keep Onyx."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in [n for n in sys.modules if n == _ALIAS or n.startswith(_ALIAS + ".")]:
        if getattr(sys.modules[name], "__name__", "").startswith("onyx"):
            del sys.modules[name]

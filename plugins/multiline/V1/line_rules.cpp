#include "line_rules.hpp"

#include <stdexcept>

namespace multiline_v1 {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool indented(std::string_view s) {
    return !s.empty() && (s[0] == ' ' || s[0] == '\t');
}

// "main.main()", "main.(*T).Method(0x1, {0x2, 0x3})", "runtime.gopanic(...)": a Go stack frame's
// function line: no blank before its first '(' and a ')' at the end.
bool go_frame(std::string_view s) {
    const size_t paren = s.find('(');
    if (paren == 0 || paren == std::string_view::npos || s.back() != ')') return false;
    return s.substr(0, paren).find(' ') == std::string_view::npos;
}

} // namespace

Preset preset_named(const std::string &name) {
    if (name == "java") return Preset::java;
    if (name == "python") return Preset::python;
    if (name == "go") return Preset::go;
    throw std::invalid_argument("\"" + name + "\": expected one of \"java\", \"python\", \"go\"");
}

LineRules::LineRules(Preset preset, std::unique_ptr<Regex> start, std::unique_ptr<Regex> cont)
    : preset_(preset), start_(std::move(start)), continue_(std::move(cont)) {
    if (preset_ == Preset::none && !start_ && !continue_)
        throw std::invalid_argument("expected a preset (java, python, go) or a start and/or "
                                    "continue regex");
}

bool LineRules::continues(std::string_view line, GroupState &g) const {
    bool cont = false;
    switch (preset_) {
    case Preset::java:
        cont = java(line);
        break;
    case Preset::python:
        cont = python(line, g);
        break;
    case Preset::go:
        cont = go(line, g);
        break;
    case Preset::none:
        cont = custom(line);
        break;
    }
    return cont;
}

// Frames ("\tat ..."), "... 12 more", and the causes and suppressed exceptions of a trace.
bool LineRules::java(std::string_view line) const {
    return indented(line) || starts_with(line, "Caused by:");
}

bool LineRules::python(std::string_view line, GroupState &g) const {
    const bool traceback = starts_with(line, "Traceback (most recent call last):");
    if (g.python_traceback) {
        if (traceback && g.python_chained) { // the next exception of a chain
            g.python_chained = false;
            g.python_closed = false;
            g.python_indented = false;
            return true;
        }
        if (!g.python_closed && indented(line)) {
            g.python_indented = true;
            return true;
        }
        if (!g.python_closed && g.python_indented && !line.empty()) { // "ValueError: message"
            g.python_closed = true;
            return true;
        }
        if (g.python_closed && (starts_with(line, "During handling of the above exception") ||
                                starts_with(line, "The above exception was the direct cause"))) {
            g.python_chained = true;
            return true;
        }
    }
    g = GroupState{};
    g.python_traceback = traceback;
    return false;
}

bool LineRules::go(std::string_view line, GroupState &g) const {
    if (starts_with(line, "panic: ") || starts_with(line, "fatal error: ")) {
        g = GroupState{};
        g.go_panic = true;
        return false;
    }
    if (g.go_panic && (line.empty() || indented(line) || starts_with(line, "goroutine ") ||
                       starts_with(line, "[signal ") || starts_with(line, "created by ") ||
                       starts_with(line, "exit status ") || go_frame(line)))
        return true;
    g = GroupState{};
    return false;
}

// A line matching `start` always starts a record. Otherwise, with `continue`, a line continues
// exactly when it matches it; with `start` alone, every other line continues.
bool LineRules::custom(std::string_view line) const {
    if (start_ && start_->match(line)) return false;
    if (continue_) return continue_->match(line);
    return true;
}

} // namespace multiline_v1

#pragma once
// The parsed form of a filter (internal to core/filter): a tree of and/or/not over tests
// of one field each.
#include "core/filter/filterfields.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QString>

#include <memory>
#include <string>
#include <vector>

namespace invoke::filter {

enum class CompareOp { Exists, Eq, Ne, Lt, Le, Gt, Ge, StartsWith, Contains, Matches, In };

struct Literal
{
    enum Kind { String, Number, Bool };
    Kind kind = String;
    QString text;     // a string's value; a number's spelling
    std::string utf8; // the same string in UTF-8, to compare with JSON strings as they are
    double number = 0;
    bool boolean = false;
};

struct Node
{
    enum Kind { And, Or, Not, Test };
    Kind kind = Test;
    std::unique_ptr<Node> left;  // And, Or, Not
    std::unique_ptr<Node> right; // And, Or
    // Test:
    FieldRef field;
    CompareOp op = CompareOp::Exists;
    std::vector<Literal> values; // one, or the members of in {...}
    QRegularExpression regex;    // Matches
    qsizetype position = 0;      // the operator's place in the text
};

} // namespace invoke::filter

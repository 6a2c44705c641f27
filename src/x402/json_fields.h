// Reading fields of what a client sent as JSON, the one way: a field that is missing or of
// another type reads as nothing, never as an exception.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

namespace x402 {

/// |key| of |obj| when it is a string, else nullptr.
inline const boost::json::string* StringField(const boost::json::object& obj, std::string_view key) {
  const boost::json::value* v = obj.if_contains(key);
  return v != nullptr ? v->if_string() : nullptr;
}

/// |key| of |obj| when it is an object, else nullptr.
inline const boost::json::object* ObjectField(const boost::json::object& obj, std::string_view key) {
  const boost::json::value* v = obj.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

/// |key| of |obj| as text when it is a string, else "".
inline std::string_view TextField(const boost::json::object& obj, std::string_view key) {
  const boost::json::string* s = StringField(obj, key);
  return s != nullptr ? std::string_view(s->data(), s->size()) : std::string_view();
}

inline std::string Str(const boost::json::string& s) { return std::string(s.data(), s.size()); }

}  // namespace x402

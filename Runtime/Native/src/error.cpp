#include "shim.h"

namespace {
thread_local std::string last_error;
}

void dsl_set_error(const std::string& message) { last_error = message; }
void dsl_clear_error() { last_error.clear(); }

DSL_API const char* dsl_last_error() { return last_error.c_str(); }

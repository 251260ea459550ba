// The one translation unit that defines Catch2's main(); every other test file only adds cases.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

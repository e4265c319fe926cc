# Task 9: how node-gyp builds build/Release/addon.node (a Python-literal file read by gyp).
{
  "targets": [
    {
      "target_name": "addon",
      "sources": ["addon.cc"],
      # napi.h, the C++ wrapper node-addon-api, lives in its package: ask Node where that is.
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # node-gyp compiles with -fno-exceptions: node-addon-api then reports errors as pending
      # JavaScript exceptions instead of C++ throws.
      "defines": ["NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"]
    }
  ]
}

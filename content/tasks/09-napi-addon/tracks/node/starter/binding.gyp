# Task 9: how node-gyp builds build/Release/addon.node (a Python-literal file read by gyp).
{
  "targets": [
    {
      "target_name": "addon",
      "sources": ["addon.cc"],
      # TODO 1: "include_dirs": the folder that holds napi.h. node-addon-api is installed as a
      #         Node package; `node -p "require('node-addon-api').include_dir"` prints it, and gyp
      #         runs a command for you with "<!(command)".
      # TODO 2: "defines": node-gyp compiles C++ with -fno-exceptions, and napi.h refuses to
      #         compile until you say how errors should travel: define
      #         NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS.
    }
  ]
}

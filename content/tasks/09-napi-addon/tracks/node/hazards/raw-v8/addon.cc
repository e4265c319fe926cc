// Task 9 hazard: the same add, written against V8's and Node's C++ API instead of Node-API.
// It works, but the compiled addon is tied to the V8 of the Node it was built for.
#include <node.h>

namespace {

void Add(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() < 2 || !args[0]->IsNumber() || !args[1]->IsNumber()) {
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8(isolate, "add(a, b) expects two numbers").ToLocalChecked()));
    return;
  }
  double sum = args[0].As<v8::Number>()->Value() + args[1].As<v8::Number>()->Value();
  args.GetReturnValue().Set(v8::Number::New(isolate, sum));
}

void Init(v8::Local<v8::Object> exports) {
  NODE_SET_METHOD(exports, "add", Add);
}

}  // namespace

NODE_MODULE(addon, Init)

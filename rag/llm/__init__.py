"""Generated answers through any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp)."""

"""FastAPI (a peer) on uvicorn: hello only (no Django ORM)."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict:
    return {"message": "Hello, world!"}

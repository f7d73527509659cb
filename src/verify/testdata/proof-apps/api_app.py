"""An OpenAPI-serving app (FastAPI serves /openapi.json) with a JSON POST
route whose body parser loads a charset table on first use."""
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Note(BaseModel):
    text: str


@app.get("/items")
def items():
    return [{"id": 1, "name": "one"}, {"id": 2, "name": "two"}]


@app.get("/items/{item_id}")
def item(item_id: int):
    return {"id": item_id}


@app.get("/health")
def health():
    return {"ok": True}


@app.post("/notes")
def notes(note: Note):
    # Repairs text that went through Windows-1252 (mojibake), as text
    # cleaners do: the codec module is imported on first use only.
    fixed = note.text.encode("cp1252", errors="replace").decode("cp1252")
    return {"text": fixed, "length": len(fixed)}

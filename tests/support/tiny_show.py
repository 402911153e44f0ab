"""A small show's script of our own: three short chapters, built in seconds with espeak (the `built_tiny_show`
fixture builds and publishes it once per session)."""

from __future__ import annotations

TINY_SCRIPT = """\
---
show: Asia Tech Brief
episode: 1
title: 짧은 소식
date: 2026-11-23
slug: tiny-001
guid: 0b5cf7a2-1d2e-5f60-9a1b-3c4d5e6f7a80
source: issues/tiny-001.txt
engine: espeak
voice:
---

## 오프닝

안녕하십니까.

## 소식

오늘은 짧습니다.

> 출처: https://news.example.com/2026/11/18/a

## 클로징

고맙습니다.
"""

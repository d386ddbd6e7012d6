# asyncio on the main thread.
import asyncio
async def main():
    await asyncio.sleep(0.01)
    return "asyncio done"
print(asyncio.run(main()))

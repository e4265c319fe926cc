print('solution')
